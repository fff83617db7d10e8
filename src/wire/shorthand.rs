//! The AWS CLI's shorthand syntax (`Key=a,Value=b`, `SNS={alertTargetArn=…,roleArn=…}`,
//! `a=[1,2]`, quoted values), parsed into a JSON value whose scalars are all
//! strings, as the CLI does before it converts them by the model's types.
//! Errors point at the offending character of the input.

use std::fmt;

use serde_json::{Map, Value};

/// A shorthand value that could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ShorthandError {
    pub input: String,
    /// Character offset of the problem.
    pub position: usize,
    pub expected: String,
    pub found: String,
}

impl fmt::Display for ShorthandError {
    /// `Expected: '=', received: 'EOF' for input:` then the input and a caret under the place.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::domain::untrusted::neutralise;
        let shown = neutralise(&self.input);
        // The caret sits under the same character of the neutralised text.
        let before: String = self.input.chars().take(self.position).collect();
        let caret = neutralise(&before).chars().count();
        writeln!(f, "Expected: '{}', received: '{}' for input:", self.expected, neutralise(&self.found))?;
        writeln!(f, "{shown}")?;
        write!(f, "{}^", " ".repeat(caret))
    }
}

/// Parses a whole shorthand parameter: `key=value[,key=value…]`.
pub fn parse(input: &str) -> Result<Value, ShorthandError> {
    let mut p = Parser { input, chars: input.chars().collect(), pos: 0 };
    let map = p.keyvals(None)?;
    p.skip_ws();
    if p.pos < p.chars.len() {
        return Err(p.error(","));
    }
    Ok(Value::Object(map))
}

struct Parser<'a> {
    input: &'a str,
    chars: Vec<char>,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn error(&self, expected: &str) -> ShorthandError {
        ShorthandError {
            input: self.input.to_owned(),
            position: self.pos,
            expected: expected.to_owned(),
            found: self.peek().map_or_else(|| "EOF".to_owned(), |c| c.to_string()),
        }
    }

    fn expect(&mut self, c: char) -> Result<(), ShorthandError> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&c.to_string()))
        }
    }

    /// `keyval *("," keyval)`, up to `close` (the `}` of a hash) or the end.
    fn keyvals(&mut self, close: Option<char>) -> Result<Map<String, Value>, ShorthandError> {
        let mut map = Map::new();
        loop {
            let (key, value) = self.keyval(close)?;
            map.insert(key, value);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                c if c == close || c.is_none() => return Ok(map),
                _ => return Err(self.error(",")),
            }
        }
    }

    fn keyval(&mut self, close: Option<char>) -> Result<(String, Value), ShorthandError> {
        self.skip_ws();
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '=' || c == ',' || Some(c) == close {
                break;
            }
            self.pos += 1;
        }
        let key: String = self.chars[start..self.pos].iter().collect::<String>().trim().to_owned();
        if key.is_empty() {
            self.pos = start;
            self.skip_ws();
            return Err(self.error("key"));
        }
        self.expect('=')?;
        let value = self.values(close)?;
        Ok((key, value))
    }

    fn values(&mut self, close: Option<char>) -> Result<Value, ShorthandError> {
        self.skip_ws();
        match self.peek() {
            Some('[') => self.list(),
            Some('{') => self.hash(),
            _ => {
                let first = self.scalar(&[',', close.unwrap_or(',')])?;
                let mut items = vec![first];
                while self.peek() == Some(',') && !self.keyval_follows(self.pos + 1) {
                    self.pos += 1;
                    items.push(self.scalar(&[',', close.unwrap_or(',')])?);
                }
                Ok(if items.len() == 1 { items.remove(0) } else { Value::Array(items) })
            }
        }
    }

    /// Whether a `key=` starts at `from` (so a comma there ends the value list).
    fn keyval_follows(&self, from: usize) -> bool {
        let mut i = from;
        while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let start = i;
        while self.chars.get(i).is_some_and(|c| c.is_alphanumeric() || "-_.#/:".contains(*c)) {
            i += 1;
        }
        while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        i > start && self.chars.get(i) == Some(&'=')
    }

    fn list(&mut self) -> Result<Value, ShorthandError> {
        self.expect('[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            let item = match self.peek() {
                Some('[') => self.list()?,
                Some('{') => self.hash()?,
                _ => self.scalar(&[',', ']'])?,
            };
            items.push(item);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("]")),
            }
        }
    }

    fn hash(&mut self) -> Result<Value, ShorthandError> {
        self.expect('{')?;
        self.skip_ws();
        if self.peek() == Some('}') {
            self.pos += 1;
            return Ok(Value::Object(Map::new()));
        }
        let map = self.keyvals(Some('}'))?;
        self.expect('}')?;
        Ok(Value::Object(map))
    }

    /// A quoted or bare value; bare values end at a stop character, `\` escapes one.
    fn scalar(&mut self, stops: &[char]) -> Result<Value, ShorthandError> {
        self.skip_ws();
        if let Some(quote @ ('"' | '\'')) = self.peek() {
            let open = self.pos;
            self.pos += 1;
            let mut text = String::new();
            loop {
                match self.peek() {
                    None => {
                        self.pos = open;
                        return Err(ShorthandError { found: "EOF".into(), ..self.error(&quote.to_string()) });
                    }
                    Some('\\') if self.chars.get(self.pos + 1) == Some(&quote) => {
                        text.push(quote);
                        self.pos += 2;
                    }
                    Some(c) if c == quote => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        text.push(c);
                        self.pos += 1;
                    }
                }
            }
            self.skip_ws();
            return Ok(Value::String(text));
        }
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c == '\\' && self.chars.get(self.pos + 1).is_some_and(|n| stops.contains(n) || *n == '\\') {
                text.push(self.chars[self.pos + 1]);
                self.pos += 2;
                continue;
            }
            if stops.contains(&c) {
                break;
            }
            text.push(c);
            self.pos += 1;
        }
        Ok(Value::String(text.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_as_the_aws_cli_does() {
        let cases = [
            ("Key=a,Value=b", json!({"Key": "a", "Value": "b"})),
            ("SNS={alertTargetArn=a,roleArn=b}", json!({"SNS": {"alertTargetArn": "a", "roleArn": "b"}})),
            ("SNS=alertTargetArn=string,roleArn=string", json!({"SNS": "alertTargetArn=string", "roleArn": "string"})),
            (
                "metric=aws:num-messages-sent,metricDimension={dimensionName=d,operator=IN},exportMetric=true",
                json!({"metric": "aws:num-messages-sent", "metricDimension": {"dimensionName": "d", "operator": "IN"}, "exportMetric": "true"}),
            ),
            ("a=b,c,d,e=f", json!({"a": ["b", "c", "d"], "e": "f"})),
            ("a=[1,2],b='x,y'", json!({"a": ["1", "2"], "b": "x,y"})),
            (r#"a="q\"x""#, json!({"a": "q\"x"})),
            ("a= b c ,d=e", json!({"a": "b c", "d": "e"})),
            ("a=", json!({"a": ""})),
            (r"a=b\,c", json!({"a": "b,c"})),
            ("k=v=w,x=y", json!({"k": "v=w", "x": "y"})),
            ("a={}", json!({"a": {}})),
            ("a=[]", json!({"a": []})),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input).unwrap(), expected, "{input}");
        }
    }

    #[test]
    fn errors_point_at_the_offending_character() {
        let e = parse("Key").unwrap_err();
        assert_eq!((e.position, e.expected.as_str(), e.found.as_str()), (3, "=", "EOF"));
        assert_eq!(e.to_string(), "Expected: '=', received: 'EOF' for input:\nKey\n   ^");
        let e = parse("a={b=c").unwrap_err();
        assert_eq!((e.position, e.expected.as_str()), (6, "}"));
        let e = parse("a='open").unwrap_err();
        assert_eq!((e.position, e.expected.as_str()), (2, "'"));
        assert_eq!(parse("=x").unwrap_err().expected, "key");
    }
}
