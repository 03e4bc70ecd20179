//! Opening a database by its location: the scheme picks the backend.

use pendulum_app::Db;
use pendulum_store::{Store, StoreError};

#[tokio::test]
async fn locations_may_be_paths_or_sqlite_urls() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().display().to_string();
    for location in [
        format!("{base}/plain.db"),
        format!("sqlite://{base}/slashes.db"),
        format!("sqlite:{base}/colon.db"),
    ] {
        let store = Db::open(&location).await.unwrap();
        assert!(store.is_empty().await.unwrap(), "{location}");
    }
    for file in ["plain.db", "slashes.db", "colon.db"] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
}

#[tokio::test]
async fn other_databases_are_unsupported() {
    for location in ["mysql://h/db", "redis://h/0"] {
        match Db::open(location).await {
            Err(StoreError::Unsupported(why)) => {
                assert!(why.contains("sqlite://"), "{location}: {why}");
            }
            other => panic!("{location} should be unsupported, got {other:?}"),
        }
    }
}
