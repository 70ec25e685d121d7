//! Several stateless modq instances sharing one PostgreSQL database.

use std::sync::{Arc, Barrier};

use serde_json::json;

use crate::helpers::{Backend, TestApp, spawn_app};

fn decide_at(app: &TestApp, base: &str, id: &str, body: &serde_json::Value) -> u16 {
    let resp = ureq::post(&format!("{base}/api/v1/comments/{id}/decision"))
        .set("Authorization", &format!("Bearer {}", app.admin_token))
        .send_json(body.clone());
    match resp {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn two_instances_share_one_postgres_database() {
    let Some(app) = spawn_app(Backend::Postgres) else {
        return;
    };
    let second = second_instance_of(&app);
    let app = Arc::new(app);

    // Submitted through one instance, visible through the other.
    let id = app
        .post_simple("multi", "ada", "hello from instance one")
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let seen = ureq::get(&format!("{}/api/v1/comments/{id}", second.base))
        .set("Authorization", &format!("Bearer {}", app.site_key))
        .call()
        .expect("get via second instance")
        .into_json::<serde_json::Value>()
        .expect("json");
    assert_eq!(seen["body"], "hello from instance one");

    // The same decision raced through both instances: one wins.
    let barrier = Arc::new(Barrier::new(2));
    let bases = [app.base.clone(), second.base.clone()];
    let handles: Vec<_> = bases
        .into_iter()
        .map(|base| {
            let (app, barrier, id) = (Arc::clone(&app), Arc::clone(&barrier), id.clone());
            std::thread::spawn(move || {
                barrier.wait();
                decide_at(
                    &app,
                    &base,
                    &id,
                    &json!({"action": "approve", "version": 1}),
                )
            })
        })
        .collect();
    let mut statuses: Vec<u16> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);

    // Concurrent first comments by one new author on one new article through
    // both instances create that author and article once.
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = [app.base.clone(), second.base.clone()]
        .into_iter()
        .enumerate()
        .map(|(i, base)| {
            let (app, barrier) = (Arc::clone(&app), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                let resp = ureq::post(&format!("{base}/api/v1/comments"))
                    .set("Authorization", &format!("Bearer {}", app.site_key))
                    .send_json(crate::helpers::comment_body(
                        "fresh",
                        "newcomer",
                        &format!("race {i}"),
                    ));
                match resp {
                    Ok(r) => r.status(),
                    Err(ureq::Error::Status(code, _)) => code,
                    Err(e) => panic!("{e}"),
                }
            })
        })
        .collect();
    let statuses: Vec<u16> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    assert_eq!(statuses, [201, 201]);
    let pending = app.get(
        "/api/v1/articles/fresh/comments?status=pending",
        &app.site_key,
    );
    let items = pending.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["author"]["id"], items[1]["author"]["id"]);
    drop(second);
}

fn second_instance_of(app: &TestApp) -> crate::helpers::SecondInstance {
    app.second_instance()
}
