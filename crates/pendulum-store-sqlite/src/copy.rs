//! Tables as neutral values, for copies between databases: SQLite keeps days and moments as
//! text and flags as integers already, so each kind maps to one storage class. Every SQL
//! text here is made of the names in `TABLES`, never of values.

use pendulum_store::StoreError;
use pendulum_store::tables::{Kind, Rows, TABLES, Table, Value};
use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};
use sqlx::{AssertSqlSafe, Row as _};

/// Every row of `table` in key order.
pub(super) async fn dump(pool: &SqlitePool, table: &Table) -> Result<Rows, StoreError> {
    let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        table.name,
        table.key.join(", ")
    );
    let rows = sqlx::query(AssertSqlSafe(sql.as_str()))
        .fetch_all(pool)
        .await?;
    rows.iter().map(|row| values(row, table)).collect()
}

fn values(row: &SqliteRow, table: &Table) -> Result<Vec<Value>, StoreError> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let bad = |e: sqlx::Error| StoreError::Corrupt {
                table: table.name,
                key: String::new(),
                message: format!("column {}: {e}", column.name),
            };
            Ok(match column.kind {
                Kind::Int | Kind::Flag => row
                    .try_get::<Option<i64>, _>(i)
                    .map_err(bad)?
                    .map_or(Value::Null, Value::Int),
                Kind::Real => row
                    .try_get::<Option<f64>, _>(i)
                    .map_err(bad)?
                    .map_or(Value::Null, Value::Real),
                Kind::Text | Kind::Date | Kind::Time => row
                    .try_get::<Option<String>, _>(i)
                    .map_err(bad)?
                    .map_or(Value::Null, Value::Text),
                Kind::Bytes => row
                    .try_get::<Option<Vec<u8>>, _>(i)
                    .map_err(bad)?
                    .map_or(Value::Null, Value::Bytes),
            })
        })
        .collect()
}

/// Writes the tables into an empty database, in one transaction.
pub(super) async fn restore(
    pool: &SqlitePool,
    tables: &[(&'static Table, Rows)],
) -> Result<(), StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    refuse_unless_empty(&mut tx).await?;
    for (table, rows) in tables {
        let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            columns.join(", "),
            vec!["?"; columns.len()].join(", ")
        );
        for row in rows {
            let mut query = sqlx::query(AssertSqlSafe(sql.as_str()));
            for value in row {
                query = match value {
                    Value::Null => query.bind(None::<String>),
                    Value::Int(n) => query.bind(*n),
                    Value::Real(x) => query.bind(*x),
                    Value::Text(t) => query.bind(t.as_str()),
                    Value::Bytes(b) => query.bind(b.as_slice()),
                };
            }
            query.execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn refuse_unless_empty(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    for table in TABLES {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name);
        let any: bool = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
        if any {
            return Err(StoreError::NotEmpty { table: table.name });
        }
    }
    Ok(())
}
