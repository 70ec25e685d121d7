use serde_json::json;

use crate::both_backends;
use crate::helpers::{TestApp, ids_of};

both_backends!(article_comments_page_stably, |app: TestApp| {
    app.put_site(json!({"default_policy": "post", "new_author_hold": 0}));
    let mut expected: Vec<String> = (0..5)
        .map(|i| {
            app.post_simple("paged", &format!("u{i}"), &format!("comment {i}"))
                .body["id"]
                .as_str()
                .expect("id")
                .to_owned()
        })
        .collect();
    // Comments on other articles or in other statuses do not leak in.
    app.post_simple("elsewhere", "u9", "other article");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => {
                format!("/api/v1/articles/paged/comments?status=approved&limit=2&cursor={c}")
            }
            None => "/api/v1/articles/paged/comments?limit=2".to_owned(),
        };
        let page = app.get(&path, &app.site_key);
        assert_eq!(page.status, 200, "{}", page.body);
        seen.extend(ids_of(&page.body));
        pages += 1;
        if pages == 1 {
            // New comments arriving mid-way land after the cursor.
            for i in 5..7 {
                let id = app.post_simple("paged", &format!("u{i}"), "late").body["id"]
                    .as_str()
                    .expect("id")
                    .to_owned();
                expected.push(id);
            }
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, expected, "every comment once, in order");
    assert_eq!(pages, 4);

    let pending = app.get(
        "/api/v1/articles/paged/comments?status=pending",
        &app.site_key,
    );
    assert_eq!(ids_of(&pending.body).len(), 0);
    let bad = app.get("/api/v1/articles/paged/comments?status=nope", &app.site_key);
    assert_eq!(bad.status, 422);
    let bad_cursor = app.get("/api/v1/articles/paged/comments?cursor=abc", &app.site_key);
    assert_eq!(bad_cursor.status, 422);
    let bad_limit = app.get("/api/v1/articles/paged/comments?limit=0", &app.site_key);
    assert_eq!(bad_limit.status, 422);
    assert_eq!(
        app.get("/api/v1/articles/missing/comments", &app.site_key)
            .status,
        404
    );
});

both_backends!(queue_sorts_filters_and_pages, |app: TestApp| {
    // ada becomes a known author, so her next comment has a lower priority.
    let known = app.post_simple("q1", "ada", "first").body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.decide(&known, json!({"action": "approve", "version": 1}));
    let low = app.post_simple("q1", "ada", "known author").body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let high1 = app.post_simple("q1", "bob", "new author").body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let high2 = app.post_simple("q2", "cat", "new author 2").body["id"]
        .as_str()
        .expect("id")
        .to_owned();

    assert_eq!(
        ids_of(&app.queue("?sort=oldest").body),
        vec![low.clone(), high1.clone(), high2.clone()]
    );
    assert_eq!(
        ids_of(&app.queue("?sort=newest").body),
        vec![high2.clone(), high1.clone(), low.clone()]
    );
    assert_eq!(
        ids_of(&app.queue("").body),
        vec![high1.clone(), high2.clone(), low.clone()]
    );

    // Keyset pages in priority order.
    let p1 = app.queue("?limit=2");
    assert_eq!(ids_of(&p1.body), vec![high1.clone(), high2.clone()]);
    let cursor = p1.body["next_cursor"].as_str().expect("cursor").to_owned();
    let p2 = app.queue(&format!("?limit=2&cursor={cursor}"));
    assert_eq!(ids_of(&p2.body), vec![low.clone()]);
    assert!(p2.body["next_cursor"].is_null());
    let p1 = app.queue("?sort=newest&limit=1");
    let cursor = p1.body["next_cursor"].as_str().expect("cursor").to_owned();
    assert_eq!(
        ids_of(
            &app.queue(&format!("?sort=newest&limit=5&cursor={cursor}"))
                .body
        ),
        vec![high1.clone(), low.clone()]
    );

    // Filters.
    assert_eq!(
        ids_of(&app.queue("?site=alpha&article=q2").body),
        vec![high2.clone()]
    );
    assert_eq!(
        ids_of(&app.queue("?reason=new_author&sort=oldest").body),
        vec![high1.clone(), high2.clone()]
    );
    assert_eq!(
        app.queue("?site=alpha&article=none").body["items"],
        json!([])
    );
    assert_eq!(
        app.queue("?article=q2").status,
        422,
        "article filter needs a site"
    );
    assert_eq!(app.queue("?site=nosuch").status, 404);
    assert_eq!(app.queue("?sort=random").status, 422);
    assert_eq!(app.queue("?cursor=zzz").status, 422);
    assert_eq!(app.queue("?limit=100000").status, 422);

    // Items carry what a moderator needs.
    let item = &app.queue("?sort=oldest&limit=1").body["items"][0];
    assert_eq!(item["article"]["title"], "Story q1");
    assert_eq!(item["author"]["approved_count"], 1);
    assert_eq!(item["author"]["rejected_count"], 0);
    assert_eq!(item["reasons"][0]["code"], "pre_moderated");
});
