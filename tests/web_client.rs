//! A small browser stand-in for the web UI's HTTP tests: keeps cookies,
//! does not follow redirects, and reads form tokens out of pages.

use std::collections::BTreeMap;

use crate::helpers::TestApp;

pub struct Page {
    pub status: u16,
    pub html: String,
    pub headers: Vec<(String, Vec<String>)>,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first().map(String::as_str))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .flat_map(|(_, v)| v.clone())
            .collect()
    }

    /// The value of the first hidden input named `name`.
    pub fn input(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no input {name} in {}", self.html))
            + marker.len();
        let end = self.html[start..].find('"').expect("closing quote") + start;
        self.html[start..end].to_owned()
    }
}

impl Page {
    /// The text of the first textarea named `name`, unescaped.
    pub fn textarea(&self, name: &str) -> String {
        let marker = format!("<textarea name=\"{name}\"");
        let open = self
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no textarea {name} in {}", self.html));
        let start = self.html[open..].find('>').expect("end of tag") + open + 1;
        let end = self.html[start..].find("</textarea>").expect("closing tag") + start;
        unescape(&self.html[start..end])
    }

    /// The id in the first form posting to `/{prefix}/{id}/…`.
    pub fn id_in_action(&self, prefix: &str) -> String {
        id_in_action(&self.html, prefix)
    }
}

/// The id in the first form of `html` posting to `/{prefix}/{id}/…`.
pub fn id_in_action(html: &str, prefix: &str) -> String {
    html.split(&format!("action=\"/{prefix}/"))
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no form posting to /{prefix}/… in {html}"))
        .to_owned()
}

pub struct Browser {
    base: String,
    agent: ureq::Agent,
    cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            base: app.base.clone(),
            agent: ureq::AgentBuilder::new()
                .redirects(0)
                .timeout(std::time::Duration::from_secs(30))
                .build(),
            cookies: BTreeMap::new(),
        }
    }

    pub fn get(&mut self, path: &str) -> Page {
        let req = self.agent.get(&format!("{}{path}", self.base));
        let req = self.with_cookies(req);
        self.finish(req.call())
    }

    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_form_as(path, fields, "text/html")
    }

    /// A form post as the page's script sends it, asking for JSON.
    pub fn post_form_json(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let page = self.post_form_as(path, fields, "application/json");
        let body = serde_json::from_str(&page.html)
            .unwrap_or_else(|_| panic!("non-JSON answer {}: {}", page.status, page.html));
        (page.status, body)
    }

    fn post_form_as(&mut self, path: &str, fields: &[(&str, &str)], accept: &str) -> Page {
        let req = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("Accept", accept);
        let req = self.with_cookies(req);
        self.finish(req.send_form(fields))
    }

    /// Logs in through the form and checks that a session cookie came back.
    pub fn log_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/login");
        assert_eq!(form.status, 200, "{}", form.html);
        let token = form.input("form_token");
        self.post_form(
            "/login",
            &[
                ("email", email),
                ("password", password),
                ("form_token", &token),
                ("next", "/"),
            ],
        )
    }

    /// The `Cookie` header this browser sends.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.get(name).is_some_and(|v| !v.is_empty())
    }

    fn with_cookies(&self, req: ureq::Request) -> ureq::Request {
        if self.cookies.is_empty() {
            return req;
        }
        let header: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        req.set("Cookie", &header.join("; "))
    }

    fn finish(&mut self, result: Result<ureq::Response, ureq::Error>) -> Page {
        let resp = match result {
            Ok(resp) => resp,
            Err(ureq::Error::Status(_, resp)) => resp,
            Err(err) => panic!("request failed: {err}"),
        };
        let status = resp.status();
        let headers: Vec<(String, Vec<String>)> = resp
            .headers_names()
            .into_iter()
            .map(|name| {
                let values = resp.all(&name).into_iter().map(str::to_owned).collect();
                (name, values)
            })
            .collect();
        for cookie in headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .flat_map(|(_, v)| v)
        {
            let pair = cookie.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || cookie.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let html = resp.into_string().expect("body");
        Page {
            status,
            html,
            headers,
        }
    }
}

/// HTML text as askama escapes it, back to what it stands for.
pub fn unescape(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
