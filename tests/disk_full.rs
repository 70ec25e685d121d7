//! SQLite on a disk that fills up: the comment that does not fit gets a
//! clear 507 `storage_not_writable`, never a 500; the database stays
//! intact; and once there is room again modq carries on without a restart.
//! The disk is a small tmpfs mounted for the test (root only).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::helpers::{comment_body, spawn_app_on};

struct SmallDisk {
    dir: std::path::PathBuf,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<Self> {
        let dir = std::env::temp_dir().join(crate::helpers::unique_name("modq_small_disk"));
        std::fs::create_dir_all(&dir).expect("dir");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true needs to mount a tmpfs (root) for the disk-full test"
            );
            eprintln!("skipped: cannot mount a tmpfs here");
            let _ = std::fs::remove_dir(&dir);
            return None;
        }
        Some(Self { dir })
    }

    fn grow(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.dir)
            .status()
            .expect("remount");
        assert!(status.success());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
        let _ = std::fs::remove_dir(&self.dir);
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_database_survives() {
    let Some(disk) = SmallDisk::mount("2m") else {
        return;
    };
    let path = disk.dir.join("modq.db");
    let url = format!("sqlite://{}", path.display());
    let app = spawn_app_on(&url, &[]);
    let text = "A long and thoughtful comment. ".repeat(300);
    let mut acknowledged = Vec::new();
    let mut refused = None;
    for n in 0..400 {
        let resp = app.post_comment(&comment_body(
            "full",
            &format!("r{n}"),
            &format!("{n} {text}"),
        ));
        match resp.status {
            201 => acknowledged.push(resp.body["id"].as_str().expect("id").to_owned()),
            _ => {
                refused = Some(resp);
                break;
            }
        }
    }
    let refused = refused.expect("the disk filled up");
    assert_eq!(refused.status, 507, "{}", refused.body);
    assert_eq!(refused.body["error"]["code"], "storage_not_writable");
    assert!(acknowledged.len() >= 5, "{} fitted", acknowledged.len());

    // Room again: modq carries on by itself.
    disk.grow("64m");
    let started = Instant::now();
    loop {
        let resp = app.post_comment(&comment_body("full", "later", "There is room again."));
        if resp.status == 201 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}: {}",
            resp.status,
            resp.body
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for id in &acknowledged {
        assert_eq!(app.get_comment(id).status, 200, "{id}");
    }
    drop(app);

    // The file is a sound database.
    let check = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
        ])
        .arg(&path)
        .output()
        .expect("python3");
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok");
}

fn chattr(flag: &str, path: &std::path::Path) -> bool {
    Command::new("chattr")
        .arg(flag)
        .arg(path)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_read_only_database_file_is_a_clear_error() {
    let dir = std::env::temp_dir().join(crate::helpers::unique_name("modq_read_only"));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("modq.db");
    let app = spawn_app_on(&format!("sqlite://{}", path.display()), &[]);
    let first = app.post_comment(&comment_body("ro", "ann", "Written before."));
    assert_eq!(first.status, 201);
    // The database and its log; not the shared-memory index, which SQLite
    // maps into memory (an immutable one faults the process).
    let files: Vec<std::path::PathBuf> = ["", "-wal"]
        .iter()
        .map(|s| std::path::PathBuf::from(format!("{}{s}", path.display())))
        .filter(|p| p.exists())
        .collect();
    // Immutable even to root (file modes are not).
    if !files.iter().all(|f| chattr("+i", f)) {
        files.iter().for_each(|f| {
            chattr("-i", f);
        });
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true needs chattr for the read-only test"
        );
        eprintln!("skipped: chattr does not work here");
        return;
    }
    let refused = app.post_comment(&comment_body("ro", "bob", "Written during."));
    for f in &files {
        chattr("-i", f);
    }
    assert_eq!(refused.status, 507, "{}", refused.body);
    assert_eq!(refused.body["error"]["code"], "storage_not_writable");
    let later = app.post_comment(&comment_body("ro", "cat", "Written after."));
    assert_eq!(later.status, 201, "{}", later.body);
    assert_eq!(
        app.get_comment(first.body["id"].as_str().expect("id"))
            .status,
        200
    );
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
}
