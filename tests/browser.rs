//! Drives headless Chromium through chromedriver's WebDriver API, for the
//! moderator UI's end-to-end tests. A small client over `ureq`: the calls
//! the tests need and nothing more.
//!
//! Chromium and chromedriver come from Debian (`chromium`,
//! `chromium-driver`); `.ci/run` installs them. Without them the browser
//! tests are skipped, except under `CI=true`, where that is a failure.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_binary(candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| (*p).to_owned())
}

/// chromedriver and the browser, or `None` when they are not installed and
/// this is not CI.
fn binaries() -> Option<(String, String)> {
    let driver = std::env::var("MODQ_CHROMEDRIVER")
        .ok()
        .or_else(|| find_binary(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]));
    let browser = std::env::var("MODQ_CHROMIUM")
        .ok()
        .or_else(|| find_binary(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]));
    match (driver, browser) {
        (Some(d), Some(b)) => Some((d, b)),
        _ if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!("CI=true but chromium or chromedriver is missing: run .ci/run")
        }
        _ => {
            eprintln!("skipping browser tests: chromium or chromedriver not installed");
            None
        }
    }
}

/// A chromedriver process and one browser session, both ended on drop.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

#[derive(Debug, Clone)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver and a headless browser, or `None` (skip).
    pub fn start() -> Option<Self> {
        let (driver_path, browser_path) = binaries()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build();
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            agent,
        };
        let started = Instant::now();
        while browser.call("GET", "/status", None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let created = browser
            .call(
                "POST",
                "/session",
                Some(json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": browser_path,
                        "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                                 "--disable-dev-shm-usage", "--window-size=1280,1000",
                                 "--no-first-run", "--disable-extensions"]
                    }
                }}})),
            )
            .expect("new browser session");
        browser.session = created["sessionId"]
            .as_str()
            .expect("session id")
            .to_owned();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Value> {
        let req = self.agent.request(method, &format!("{}{path}", self.base));
        let result = match body {
            Some(body) => req.send_json(body),
            None => req.call(),
        };
        let (ok, resp) = match result {
            Ok(resp) => (true, resp),
            Err(ureq::Error::Status(_, resp)) => (false, resp),
            Err(err) => return Err(json!({"error": err.to_string()})),
        };
        let value: Value = resp.into_json().unwrap_or(Value::Null);
        if ok {
            Ok(value["value"].clone())
        } else {
            Err(value["value"].clone())
        }
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        self.call(method, &full, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    pub fn go(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn find(&self, css: &str) -> Element {
        let value = self.session_call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        Element(value[ELEMENT_KEY].as_str().expect("element id").to_owned())
    }

    pub fn count(&self, css: &str) -> usize {
        let value = self.session_call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        value.as_array().map_or(0, Vec::len)
    }

    pub fn type_into(&self, element: &Element, text: &str) {
        self.session_call(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        );
    }

    pub fn click(&self, element: &Element) {
        self.session_call(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        );
    }

    pub fn text(&self, element: &Element) -> String {
        self.session_call("GET", &format!("/element/{}/text", element.0), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs a script in the page and returns its result.
    pub fn eval(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Presses and releases a key, as typed with the page focused.
    pub fn press(&self, key: &str) {
        self.session_call(
            "POST",
            "/actions",
            Some(
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                    {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
                ]}]}),
            ),
        );
    }

    /// The text of an open alert, confirm or prompt dialog, if any.
    pub fn dialog(&self) -> Option<String> {
        let path = format!("/session/{}/alert/text", self.session);
        self.call("GET", &path, None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    pub fn screenshot_png(&self) -> Vec<u8> {
        let encoded = self.session_call("GET", "/screenshot", None);
        decode_base64(encoded.as_str().expect("base64"))
    }

    /// Waits up to ten seconds for `check` to hold.
    pub fn wait_for(&self, what: &str, check: impl Fn(&Browser) -> bool) {
        let started = Instant::now();
        while !check(self) {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}; the page's notice said {:?}",
                self.eval(
                    "const n = document.getElementById('notice'); return n ? n.textContent : null"
                )
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Logs in through the login page.
    pub fn log_in(&self, base: &str, email: &str, password: &str) {
        self.go(&format!("{base}/login"));
        self.type_into(&self.find("input[name=email]"), email);
        self.type_into(&self.find("input[name=password]"), password);
        self.click(&self.find("form button[type=submit]"));
        self.wait_for("the queue after login", |b| b.count("#queue") == 1);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = self.call("DELETE", &path, None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    sextets
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &s)| n | (u32::from(s) << (18 - 6 * i)));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes[..chunk.len().saturating_sub(1)].to_vec()
        })
        .collect()
}
