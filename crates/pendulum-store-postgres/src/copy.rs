//! Tables as neutral values, for copies between databases. Days, moments and flags have
//! types of their own here, so the SQL turns them into the neutral forms on the way out
//! (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` in UTC, 0 or 1) and back on the way in. Every SQL
//! text here is made of the names in `TABLES`, never of values.

use pendulum_store::StoreError;
use pendulum_store::tables::{Kind, Rows, TABLES, Table, Value};
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use sqlx::{AssertSqlSafe, Row as _};

/// Rows written by one statement at most: each column goes as one array parameter, and a
/// bound keeps a statement's size reasonable whatever the table.
const CHUNK: usize = 10_000;

/// Every row of `table` in key order.
pub(super) async fn dump(pool: &PgPool, table: &Table) -> Result<Rows, StoreError> {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| outgoing(c.name, c.kind))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        table.name,
        table.key.join(", ")
    );
    let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(pool).await?;
    rows.iter().map(|row| values(row, table)).collect()
}

/// A column read as its neutral form.
fn outgoing(name: &str, kind: Kind) -> String {
    match kind {
        Kind::Date => format!("to_char({name}, 'YYYY-MM-DD')"),
        Kind::Time => format!("to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"),
        Kind::Flag => format!("{name}::int4::int8"),
        Kind::Int => format!("{name}::int8"),
        Kind::Real => format!("{name}::float8"),
        Kind::Text => format!("{name}::text"),
        Kind::Bytes => name.to_owned(),
    }
}

fn values(row: &PgRow, table: &Table) -> Result<Vec<Value>, StoreError> {
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

/// Writes the tables into an empty database, in one transaction that holds the ledger lock,
/// then moves each identity column's counter past the copied rows.
pub(super) async fn restore(
    conn: &mut PgConnection,
    tables: &[(&'static Table, Rows)],
) -> Result<(), StoreError> {
    refuse_unless_empty(conn).await?;
    for (table, rows) in tables {
        for chunk in rows.chunks(CHUNK) {
            insert(conn, table, chunk).await?;
        }
    }
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, column) in identities {
        if TABLES.iter().any(|t| t.name == table) {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), max({column})) \
                 FROM {table} HAVING max({column}) IS NOT NULL"
            );
            sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// One statement for many rows: each column as an array, unnested side by side.
async fn insert(
    conn: &mut PgConnection,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<(), StoreError> {
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let arrays: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("${}::{}", i + 1, array_type(c.kind)))
        .collect();
    let incoming: Vec<String> = table
        .columns
        .iter()
        .map(|c| match c.kind {
            Kind::Date => format!("{}::date", c.name),
            Kind::Time => format!("{}::timestamp AT TIME ZONE 'UTC'", c.name),
            Kind::Flag => format!("{} <> 0", c.name),
            _ => c.name.to_owned(),
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({names}) OVERRIDING SYSTEM VALUE \
         SELECT {incoming} FROM UNNEST({arrays}) AS u ({names})",
        table = table.name,
        names = names.join(", "),
        incoming = incoming.join(", "),
        arrays = arrays.join(", "),
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for (i, column) in table.columns.iter().enumerate() {
        let cells = rows.iter().map(|row| &row[i]);
        let wrong = |value: &Value| StoreError::Corrupt {
            table: table.name,
            key: String::new(),
            message: format!(
                "column {}: {value:?} is not a value of kind {:?}",
                column.name, column.kind
            ),
        };
        query = match column.kind {
            Kind::Int | Kind::Flag => query.bind(
                cells
                    .map(|v| match v {
                        Value::Null => Ok(None),
                        Value::Int(n) => Ok(Some(*n)),
                        other => Err(wrong(other)),
                    })
                    .collect::<Result<Vec<Option<i64>>, _>>()?,
            ),
            Kind::Real => query.bind(
                cells
                    .map(|v| match v {
                        Value::Null => Ok(None),
                        Value::Real(x) => Ok(Some(*x)),
                        other => Err(wrong(other)),
                    })
                    .collect::<Result<Vec<Option<f64>>, _>>()?,
            ),
            Kind::Text | Kind::Date | Kind::Time => query.bind(
                cells
                    .map(|v| match v {
                        Value::Null => Ok(None),
                        Value::Text(t) => Ok(Some(t.clone())),
                        other => Err(wrong(other)),
                    })
                    .collect::<Result<Vec<Option<String>>, _>>()?,
            ),
            Kind::Bytes => query.bind(
                cells
                    .map(|v| match v {
                        Value::Null => Ok(None),
                        Value::Bytes(b) => Ok(Some(b.clone())),
                        other => Err(wrong(other)),
                    })
                    .collect::<Result<Vec<Option<Vec<u8>>>, _>>()?,
            ),
        };
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

fn array_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Int | Kind::Flag => "int8[]",
        Kind::Real => "float8[]",
        Kind::Text | Kind::Date | Kind::Time => "text[]",
        Kind::Bytes => "bytea[]",
    }
}

async fn refuse_unless_empty(conn: &mut PgConnection) -> Result<(), StoreError> {
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
