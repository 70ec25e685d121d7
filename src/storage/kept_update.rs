//! UPDATE statements the connection keeps prepared.
//!
//! diesel prepares every UPDATE afresh, because a changeset may leave out
//! its `None` fields and so change its SQL from one call to the next. On the
//! hot paths (an edit rewrites its comment, a decision changes its status)
//! parsing and planning took about a third of the statement's time. A
//! [`KeptUpdate`] is the same statement, cached by its SQL text and bind
//! types: each shape a changeset takes gets its own entry, so caching it
//! stays correct. It must not carry an `IN` list, whose every length would
//! add an entry.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression};
use diesel::query_builder::{AsChangeset, AstPass, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::query_source::{QuerySource, Table};
use diesel::sql_types::Bool;

/// `UPDATE table SET changeset WHERE predicate`, kept prepared once run.
#[derive(Debug, Clone)]
pub struct KeptUpdate<T: QuerySource, P, C> {
    from: T::FromClause,
    predicate: P,
    changeset: C,
}

/// Builds an UPDATE of the rows of `table` where `predicate` holds.
pub fn kept_update<T, P, V>(table: T, predicate: P, values: V) -> KeptUpdate<T, P, V::Changeset>
where
    T: Table,
    P: Expression<SqlType = Bool> + AppearsOnTable<T>,
    V: AsChangeset<Target = T>,
{
    KeptUpdate {
        from: table.from_clause(),
        predicate,
        changeset: values.as_changeset(),
    }
}

impl<T, P, C, DB> QueryFragment<DB> for KeptUpdate<T, P, C>
where
    DB: Backend,
    T: QuerySource,
    T::FromClause: QueryFragment<DB>,
    P: QueryFragment<DB>,
    C: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE ");
        self.from.walk_ast(out.reborrow())?;
        out.push_sql(" SET ");
        self.changeset.walk_ast(out.reborrow())?;
        out.push_sql(" WHERE ");
        self.predicate.walk_ast(out.reborrow())
    }
}

impl<T: QuerySource, P, C> QueryId for KeptUpdate<T, P, C> {
    // Cached by its SQL text, which the changeset may vary.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<T: QuerySource, P, C, Conn> RunQueryDsl<Conn> for KeptUpdate<T, P, C> {}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::connection::{InstrumentationEvent, SimpleConnection};
    use diesel::prelude::*;

    use super::*;
    use crate::storage::DbConn;
    use crate::storage::schema::authors;

    /// The SQL of every statement the connection adds to its cache.
    fn cached_statements(conn: &mut DbConn) -> Arc<Mutex<Vec<String>>> {
        let cached = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&cached);
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                seen.lock().expect("lock").push(sql.to_owned());
            }
        });
        cached
    }

    fn bump(conn: &mut DbConn, id: i64, kept: bool) -> usize {
        let values = authors::approved_count.eq(authors::approved_count + 1);
        let changed = if kept {
            kept_update(authors::table, authors::id.eq(id), values).execute(conn)
        } else {
            diesel::update(authors::table.find(id))
                .set(values)
                .execute(conn)
        };
        changed.expect("update")
    }

    #[test]
    fn a_kept_update_is_prepared_once_and_changes_what_diesels_would() {
        let mut conn = DbConn::Sqlite(
            diesel::SqliteConnection::establish(":memory:").expect("in-memory database"),
        );
        conn.batch_execute(
            "CREATE TABLE authors (id BIGINT PRIMARY KEY, approved_count INTEGER NOT NULL);
             INSERT INTO authors VALUES (1, 0), (2, 0);",
        )
        .expect("schema");
        let cached = cached_statements(&mut conn);

        // diesel's own UPDATE is parsed again on every call.
        assert_eq!(bump(&mut conn, 1, false), 1);
        assert_eq!(bump(&mut conn, 1, false), 1);
        assert!(cached.lock().expect("lock").is_empty());

        // Kept: prepared on the first call, reused on the next ones, and
        // only the matching row changes.
        for _ in 0..3 {
            assert_eq!(bump(&mut conn, 1, true), 1);
        }
        assert_eq!(bump(&mut conn, 3, true), 0, "no such author");
        let cached = cached.lock().expect("lock").clone();
        assert_eq!(cached.len(), 1, "{cached:?}");
        assert!(cached[0].starts_with("UPDATE"), "{cached:?}");
        let counts: Vec<(i64, i32)> = authors::table
            .select((authors::id, authors::approved_count))
            .order(authors::id)
            .load(&mut conn)
            .expect("counts");
        assert_eq!(counts, [(1, 5), (2, 0)]);
    }
}
