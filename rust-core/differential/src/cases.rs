//! The case generator: hostile and broken answers, drawn from a seed so that a failing case can
//! be replayed. Each case is one customer id and one HTTP answer (status, headers in order,
//! duplicates allowed, and raw body bytes).

use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The core's body limit, around which oversized bodies are drawn.
const LIMIT: usize = juspay_customer::MAX_BODY_BYTES;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    /// What the generator meant to produce, to read a failure by.
    pub kind: String,
    pub customer_id: String,
    /// Whether the lookup asks for Juspay's client auth token.
    pub client_auth_token: bool,
    pub status: u16,
    /// In the order sent; a name may repeat.
    pub headers: Vec<(String, String)>,
    #[serde(serialize_with = "base64_bytes")]
    pub body: Vec<u8>,
}

fn base64_bytes<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

pub fn generate(seed: u64, count: usize) -> Vec<Case> {
    let mut g = Gen(fastrand::Rng::with_seed(seed));
    (0..count).map(|_| g.case()).collect()
}

struct Gen(fastrand::Rng);

impl Gen {
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.0.usize(..items.len())].clone()
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.0.u8(..100) < percent
    }

    fn case(&mut self) -> Case {
        let customer_id = if self.chance(85) {
            format!("cst_{}", self.alnum(1, 20))
        } else {
            self.odd_customer_id()
        };
        let status = if self.chance(10) {
            // 407 and 421 are answered by fetch itself (see src-ts/tests/differential.test.ts).
            self.0.u16(200..=599)
        } else {
            self.pick(&[
                200, 200, 200, 200, 201, 204, 206, 299, 300, 301, 302, 304, 307, 400, 401, 403,
                404, 404, 404, 405, 407, 409, 410, 418, 421, 422, 429, 429, 429, 499, 500, 501,
                502, 503, 503, 504, 520, 599,
            ])
        };
        let mut headers = Vec::new();
        let retry_afters = self.pick(&[0, 0, 1, 1, 1, 1, 2]);
        for _ in 0..retry_afters {
            let value = self.retry_after();
            headers.push(("retry-after".to_owned(), value));
        }
        if self.chance(30) {
            let value = self.pick(&[
                "application/json",
                "text/html; charset=utf-7",
                "application/json; charset=iso-8859-1",
                "text/plain",
                "application/problem+json",
            ]);
            headers.push(("content-type".to_owned(), value.to_owned()));
        }
        if self.chance(10) {
            headers.push(("x-request-id".to_owned(), self.alnum(0, 40)));
        }
        let client_auth_token = self.chance(30);
        let (kind, body) = self.body(status);
        Case {
            kind: kind.to_owned(),
            customer_id,
            client_auth_token,
            status,
            headers,
            body,
        }
    }

    fn alnum(&mut self, min: usize, max: usize) -> String {
        let n = self.0.usize(min..=max);
        (0..n).map(|_| self.0.alphanumeric()).collect()
    }

    /// Ids at and past the rules: lengths around 300 code points, dots, reserved characters,
    /// percent signs, multi-byte and combining characters, control characters.
    fn odd_customer_id(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "0",
            "-",
            ".",
            "_",
            "~",
            "/",
            "?",
            "#",
            "%",
            "%2F",
            "%2e",
            "+",
            " ",
            "é",
            "e\u{301}",
            "€",
            "😀",
            "\u{0}",
            "\u{7f}",
            "\u{feff}",
            "\\",
            "\"",
            "'",
            "&",
            "=",
            ";",
            ":",
            "@",
            "[",
            "]",
            "!",
            "$",
            "(",
            ")",
            "*",
            ",",
            "\n",
            "\t",
            "中",
            "\u{10ffff}",
        ];
        match self.0.u8(..10) {
            0 => self
                .pick(&["", ".", "..", "...", "./", "/..", "%2E%2E"])
                .to_owned(),
            1 => {
                let n = self.pick(&[299, 300, 301]);
                let unit = self.pick(&["a", "😀", "é", "e\u{301}"]);
                unit.repeat(n)
            }
            _ => {
                let n = self.0.usize(1..=12);
                (0..n).map(|_| self.pick(PIECES)).collect()
            }
        }
    }

    fn retry_after(&mut self) -> String {
        match self.0.u8(..12) {
            0 => self.0.u64(0..10).to_string(),
            1 => self.0.u64(0..200_000).to_string(),
            2 => self.0.u64(86_398..86_403).to_string(),
            3 => self
                .pick(&[u64::MAX, i64::MAX as u64, u32::MAX as u64, 1 << 53])
                .to_string(),
            4 => {
                let n = self.0.usize(19..45);
                (0..n).map(|_| self.0.digit(10)).collect()
            }
            5 => self
                .pick(&[
                    "-1", "+5", "-0", "1.5", "0.0", "1e3", " 3 ", "\t4", "3 ", "0x10", "0005", "",
                    " ", "1,2", "1 2", "soon", "١٢", "∞", "NaN", "Infinity",
                ])
                .to_owned(),
            6 => self
                .pick(&[
                    "Wed, 21 Oct 2015 07:28:00 GMT",
                    "Fri, 31 Dec 9999 23:59:59 GMT",
                    "Mon, 31 Dec 9999 23:59:59 GMT",
                    "Wednesday, 21-Oct-15 07:28:00 GMT",
                    "Wed Oct 21 07:28:00 2015",
                    "Fri Dec 31 23:59:59 9999",
                    "Wed, 21 Oct 2015 07:28:00 gmt",
                    "Wed, 31 Dec 1969 23:59:59 GMT",
                    "Thu, 01 Jan 1970 00:00:00 GMT",
                    "Sat, 31 Feb 2015 07:28:00 GMT",
                    "Wed, 21 Oct 2015 24:00:00 GMT",
                    "Wed, 21 Oct 15 07:28:00 GMT",
                    "2015-10-21T07:28:00Z",
                    "Wed, 21 Oct 2015 07:28:00 +0000",
                ])
                .to_owned(),
            // A valid date well in the past (now is about 2026), in one of the three formats.
            7 | 8 => {
                let at = UNIX_EPOCH + Duration::from_secs(self.0.u64(0..1_600_000_000));
                self.format_date(at)
            }
            // A valid date far enough ahead that the 24-hour cap decides, whatever the clock.
            9 | 10 => {
                let at =
                    UNIX_EPOCH + Duration::from_secs(self.0.u64(2_000_000_000..253_402_300_799));
                self.format_date(at)
            }
            _ => {
                let n = self.0.usize(1..30);
                (0..n)
                    .map(|_| self.pick(&['1', 'a', ' ', ',', ':', '-', 'G', 'M', 'T', '\t']))
                    .collect()
            }
        }
    }

    fn format_date(&mut self, at: std::time::SystemTime) -> String {
        let imf = httpdate::fmt_http_date(at);
        // "Sun, 06 Nov 1994 08:49:37 GMT"
        let (day, rest) = imf.split_at(3);
        let parts: Vec<&str> = rest[2..].split(' ').collect();
        let (dd, mon, yyyy, time) = (parts[0], parts[1], parts[2], parts[3]);
        match self.0.u8(..3) {
            0 => imf.clone(),
            1 if yyyy.len() == 4 => {
                let long = match day {
                    "Mon" => "Monday",
                    "Tue" => "Tuesday",
                    "Wed" => "Wednesday",
                    "Thu" => "Thursday",
                    "Fri" => "Friday",
                    "Sat" => "Saturday",
                    _ => "Sunday",
                };
                format!("{long}, {dd}-{mon}-{} {time} GMT", &yyyy[2..])
            }
            _ => {
                let dd = dd.trim_start_matches('0');
                format!("{day} {mon} {dd:>2} {time} {yyyy}")
            }
        }
    }

    fn text(&mut self) -> Value {
        const PIECES: &[&str] = &[
            "a", "Jane", "cst_1", " ", "é", "😀", "\u{0}", "\"", "\\", "\n", "<b>", "%", "中",
            "\u{feff}", "\u{2028}",
        ];
        let n = self.0.usize(0..6);
        Value::String((0..n).map(|_| self.pick(PIECES)).collect())
    }

    /// Any JSON value, mostly strings, nested at most `depth` deep.
    fn value(&mut self, depth: u8) -> Value {
        match self.0.u8(..10) {
            0..=4 => self.text(),
            5 => Value::Null,
            6 => json!(self.pick(&[0.0, -1.0, 1.5, 1e300, 99999999.0])),
            7 => json!(self.0.bool()),
            8 if depth > 0 => {
                let n = self.0.usize(0..3);
                Value::Array((0..n).map(|_| self.value(depth - 1)).collect())
            }
            _ if depth > 0 => {
                let mut m = Map::new();
                for _ in 0..self.0.usize(0..3) {
                    let key = self.pick(&["code", "x", "user_message", "id", "__proto__"]);
                    m.insert(key.to_owned(), self.value(depth - 1));
                }
                Value::Object(m)
            }
            _ => Value::Null,
        }
    }

    /// A field value that is mostly well-typed: absent (`None`), null, a string, or anything.
    fn field(&mut self) -> Option<Value> {
        match self.0.u8(..10) {
            0 => None,
            1 => Some(Value::Null),
            2 => Some(self.value(2)),
            _ => Some(self.text()),
        }
    }

    fn customer(&mut self) -> Value {
        let mut m = Map::new();
        match self.0.u8(..20) {
            0 => {}
            1 => {
                m.insert("id".into(), self.value(1));
            }
            _ => {
                m.insert("id".into(), json!(format!("cst_{}", self.alnum(0, 12))));
            }
        }
        match self.0.u8(..10) {
            0 => {
                m.insert("object".into(), self.value(1));
            }
            1..=3 => {}
            _ => {
                m.insert("object".into(), json!("customer"));
            }
        }
        for key in [
            "object_reference_id",
            "first_name",
            "last_name",
            "email_address",
            "mobile_number",
            "mobile_country_code",
            "date_created",
            "last_updated",
        ] {
            let f = if self.chance(80) {
                Some(self.text())
            } else {
                self.field()
            };
            if let Some(v) = f {
                m.insert(key.into(), v);
            }
        }
        match self.0.u8(..10) {
            0 | 1 => {
                m.insert("juspay".into(), self.value(2));
            }
            2..=5 => {
                // Mostly what Juspay sends, sometimes with an odd token or expiry.
                let mut juspay = Map::new();
                if let Some(token) = if self.chance(80) {
                    Some(self.text())
                } else {
                    self.field()
                } {
                    juspay.insert("client_auth_token".into(), token);
                }
                if let Some(expiry) = self.field() {
                    juspay.insert("client_auth_token_expiry".into(), expiry);
                }
                m.insert("juspay".into(), Value::Object(juspay));
            }
            _ => {}
        }
        if self.chance(20) {
            m.insert("extra".into(), self.value(3));
        }
        Value::Object(m)
    }

    fn juspay_error(&mut self) -> Value {
        let mut m = Map::new();
        for key in ["status", "error_code", "error_message", "user_message"] {
            if let Some(v) = self.field() {
                m.insert(key.into(), v);
            }
        }
        if self.chance(30) {
            let code = self.pick(&["object_not_found", "access_denied", "unique", "x"]);
            m.insert("error_code".into(), json!(code));
        }
        if self.chance(80) {
            let mut info = Map::new();
            for key in [
                "code",
                "user_message",
                "developer_message",
                "request_id",
                "href",
            ] {
                if let Some(v) = self.field() {
                    info.insert(key.into(), v);
                }
            }
            if self.chance(30) {
                let code = self.pick(&["RESOURCE_NOT_FOUND", "UNAUTHORIZED", "BAD_ORIGIN"]);
                info.insert("code".into(), json!(code));
            }
            let info = if self.chance(90) {
                Value::Object(info)
            } else {
                self.value(1)
            };
            m.insert("error_info".into(), info);
        }
        Value::Object(m)
    }

    fn body(&mut self, status: u16) -> (&'static str, Vec<u8>) {
        let success = (200..300).contains(&status);
        match self.0.u8(..20) {
            0..=8 => {
                let v = if success {
                    self.customer()
                } else {
                    self.juspay_error()
                };
                ("json", v.to_string().into_bytes())
            }
            9 | 10 => {
                let v = if success {
                    self.juspay_error()
                } else {
                    self.customer()
                };
                ("other-shape", v.to_string().into_bytes())
            }
            11 => ("any-json", self.value(3).to_string().into_bytes()),
            12 => {
                let text = self.pick(&[
                    "",
                    "<html>Not Found</html>",
                    "null",
                    "true",
                    "[]",
                    "{}",
                    "\"cst_1\"",
                    "{\"id\":\"cst_1\"",
                    "{\"id\":\"cst_1\"} trailing",
                    "{\"id\":\"cst_1\",}",
                    "{'id':'cst_1'}",
                    "\u{feff}{\"id\":\"cst_1\"}",
                    " \n\t{\"id\":\"cst_1\"}\r\n ",
                    "{\"id\":\"cst_1\",\"id\":\"cst_2\"}",
                    "{\"id\":\"c\\u0073t_1\",\"first_name\":\"\\u00e9\\n\"}",
                    "{\"id\":\"cst_\\ud800\"}",
                    "{\"id\":\"cst_1\",\"extra\":\"\\ud800\"}",
                    "{\"id\":\"cst_1\",\"first_name\":\"\\udc00x\"}",
                    "{\"id\":\"cst_1\",\"\\ud800\":1}",
                    "{\"error_code\":\"object_not_found\",\"x\":\"\\ud800\"}",
                    "{\"error_info\":{\"developer_message\":\"\\ud83d\"}}",
                    "{\"error_info\":{\"developer_message\":\"\\ud83d\\ude00\"}}",
                    "{\"error_code\":\"x\",\"n\":1e999}",
                    "{\"error_code\":\"x\",\"n\":123456789012345678901234567890}",
                    "{\"id\":\"cst_\\ud83d\\ude00\"}",
                    "{\"id\":\"cst_1\",\"n\":1e999}",
                    "{\"id\":\"cst_1\",\"n\":-0}",
                    "{\"id\":\"cst_1\",\"n\":01}",
                    "{\"error_code\":\"object_not_found\",\"error_code\":5}",
                    "{\"error_info\":{\"developer_message\":\"a\"},\"error_info\":{}}",
                ]);
                ("text", text.as_bytes().to_vec())
            }
            13 => {
                // Bytes that are not UTF-8 around a customer.
                let mut body = br#"{"id":"cst_1","first_name":""#.to_vec();
                body.extend(self.pick(&[&[0xff][..], &[0xc3], &[0xed, 0xa0, 0x80], &[0xe9]]));
                body.extend(br#""}"#);
                ("not-utf8", body)
            }
            14 => {
                // Nesting around the parsers' depth limits.
                let depth = self.pick(&[100, 127, 128, 129, 200, 1000]);
                let inner = "[".repeat(depth) + &"]".repeat(depth);
                let body = format!(r#"{{"id":"cst_1","extra":{inner}}}"#);
                ("deep", body.into_bytes())
            }
            15 | 16 => {
                // A customer padded to just under, at and over the limit.
                let size = self.pick(&[LIMIT - 1, LIMIT, LIMIT + 1, LIMIT + 1000]);
                let head = r#"{"id":"cst_big","object":"customer","padding":""#;
                let tail = r#""}"#;
                let pad = size.saturating_sub(head.len() + tail.len());
                (
                    "oversize",
                    format!("{head}{}{tail}", "x".repeat(pad)).into_bytes(),
                )
            }
            _ => {
                let mut v = self.customer();
                if let Value::Object(m) = &mut v {
                    m.insert("object".into(), json!("customer"));
                    m.insert("id".into(), json!("cst_ok"));
                }
                ("valid-customer", v.to_string().into_bytes())
            }
        }
    }
}
