//! The TypeScript of a CDK app, read with oxc's parser (the `typescript` feature): for each
//! place a creation stack points at, the call or `new` expression there, the object keys
//! written in it (`timeout:`, `batchSize:`), and where its code comes from (`RustFunction`'s
//! `manifestPath`/`binaryName`, `Code.fromAsset(...)`), with `path.join(__dirname, ..)`,
//! `path.resolve`, `process.cwd()` and template strings of constants evaluated.

use crate::span::Span;

/// A string the code computes: its value, or the source text slint could not evaluate.
pub type Evaluated = Result<String, String>;

/// Where a function construct's code comes from, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeSource {
    /// `new RustFunction(scope, id, { manifestPath, binaryName })` (cargo-lambda-cdk).
    RustFunction { manifest: Option<Evaluated>, bin: Option<Evaluated> },
    /// `Code.fromAsset(path)`: cargo-lambda's output `target/lambda/<bin>` when it is Rust.
    Asset(Evaluated),
}

/// The expression a creation-stack frame points into.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConstructCall {
    pub span: Span,
    /// Object-literal keys written inside it, in order: `("timeout", span of the key)`.
    pub keys: Vec<(String, Span)>,
    pub code: Option<CodeSource>,
}

impl ConstructCall {
    /// The key `name` (lowerCamelCase, as the CDK's props are) written in the call.
    pub fn key(&self, name: &str) -> Option<Span> {
        self.keys.iter().find(|(key, _)| key == name).map(|(_, span)| *span)
    }
}

/// The places a file's frames point at (byte offsets) and the directories its paths are
/// evaluated against: `__dirname` (the file's folder in the project) and `process.cwd()`
/// (the app's folder, where `cdk` runs).
pub struct Request<'r> {
    pub text: &'r str,
    pub offsets: &'r [u32],
    pub dirname: &'r str,
    pub cwd: &'r str,
}

/// Whether `path` is TypeScript or JavaScript, the languages [`analyse`] reads.
pub fn is_script(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "ts" | "tsx" | "mts" | "cts" | "js" | "jsx" | "mjs" | "cjs"))
}

/// For each offset, the innermost call or `new` expression containing it. `Err` when the
/// file does not parse as TypeScript (the calls are then unknown, not guessed).
#[cfg(feature = "typescript")]
pub fn analyse(request: &Request<'_>) -> Result<Vec<Option<ConstructCall>>, String> {
    // oxc's parser and the visitor recurse once per nesting level, and a stack overflow
    // aborts the process: a hostile file (50,000 nested parentheses) must cost its calls, not
    // the run. Every level takes at least one token, so the token count bounds the depth; the
    // parse runs on a thread with stack for that many levels (at most 2.8 KiB each, measured
    // on a debug build: 3,000 levels of parentheses, calls, `new` or `+` fit in 8 MiB, 10,000
    // did not), and a file with more tokens than any stack file needs is not parsed.
    let tokens = token_bound(request.text);
    if tokens > MAX_TOKENS {
        return Err(format!("the file has about {tokens} tokens, more than the {MAX_TOKENS} slint parses"));
    }
    let stack = STACK_BASE + tokens * STACK_PER_TOKEN;
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("slint-typescript".into())
            .stack_size(stack)
            .spawn_scoped(scope, || crate::fault::guarded(|| oxc::analyse(request)));
        match worker.map(|w| w.join()) {
            Ok(Ok(Ok(found))) => found,
            Ok(Ok(Err(panic))) => Err(format!("the TypeScript parser failed: {panic}")),
            Ok(Err(_)) => Err("the TypeScript parser failed".to_string()),
            Err(e) => Err(format!("cannot start the TypeScript parser: {e}")),
        }
    })
}

/// The most tokens of a TypeScript file slint parses: about 300 KB of code; a CDK stack file
/// is a few kilobytes.
#[cfg(feature = "typescript")]
const MAX_TOKENS: usize = 65_536;

#[cfg(feature = "typescript")]
const STACK_BASE: usize = 1 << 20;

#[cfg(feature = "typescript")]
const STACK_PER_TOKEN: usize = 4 << 10;

/// At least the number of tokens of `text`: each punctuation byte and each start of a word.
#[cfg(feature = "typescript")]
fn token_bound(text: &str) -> usize {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let mut previous_is_word = false;
    let mut count = 0;
    for &b in text.as_bytes() {
        let word = is_word(b);
        if b.is_ascii_punctuation() || (word && !previous_is_word) {
            count += 1;
        }
        previous_is_word = word;
    }
    count
}

/// Without the `typescript` feature the TypeScript is not read.
#[cfg(not(feature = "typescript"))]
pub fn analyse(_request: &Request<'_>) -> Result<Vec<Option<ConstructCall>>, String> {
    Err("slint was built without the `typescript` feature, so it does not read TypeScript".into())
}

#[cfg(feature = "typescript")]
mod oxc {
    use std::collections::HashMap;
    use std::path::Path;

    use oxc_allocator::Allocator;
    use oxc_ast::ast::{
        Argument, BindingPatternKind, CallExpression, Expression, NewExpression, ObjectExpression, ObjectProperty,
        ObjectPropertyKind, VariableDeclarationKind, VariableDeclarator,
    };
    use oxc_ast_visit::{Visit, walk};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    use super::{CodeSource, ConstructCall, Evaluated, Request};
    use crate::span::Span;

    /// Constants nest (`const A = ..; const B = `${A}/x``); a longer chain is not followed.
    const MAX_SHOWN: usize = 60;

    pub fn analyse(request: &Request<'_>) -> Result<Vec<Option<ConstructCall>>, String> {
        let allocator = Allocator::default();
        let parsed = Parser::new(&allocator, request.text, SourceType::ts()).parse();
        if parsed.panicked {
            let reason = parsed.errors.first().map_or_else(|| "syntax error".to_string(), |e| e.message.to_string());
            return Err(format!("the TypeScript does not parse: {reason}"));
        }
        let mut scan = Scan {
            env: Env { text: request.text, dirname: request.dirname, cwd: request.cwd, constants: HashMap::new() },
            offsets: request.offsets,
            found: vec![None; request.offsets.len()],
        };
        scan.visit_program(&parsed.program);
        Ok(scan.found)
    }

    /// What evaluating a path expression needs: the constants declared so far.
    struct Env<'t> {
        text: &'t str,
        dirname: &'t str,
        cwd: &'t str,
        constants: HashMap<String, String>,
    }

    impl Env<'_> {
        fn eval(&self, expression: &Expression<'_>) -> Evaluated {
            match expression {
                Expression::StringLiteral(literal) => Ok(literal.value.to_string()),
                Expression::TemplateLiteral(template) => {
                    let mut out = String::new();
                    for (i, quasi) in template.quasis.iter().enumerate() {
                        out.push_str(quasi.value.cooked.as_ref().map_or(quasi.value.raw.as_str(), |c| c.as_str()));
                        if let Some(inner) = template.expressions.get(i) {
                            out.push_str(&self.eval(inner)?);
                        }
                    }
                    Ok(out)
                }
                Expression::Identifier(id) if id.name == "__dirname" => Ok(self.dirname.to_string()),
                Expression::Identifier(id) => {
                    self.constants.get(id.name.as_str()).cloned().ok_or_else(|| self.shown(expression))
                }
                Expression::ParenthesizedExpression(inner) => self.eval(&inner.expression),
                Expression::TSAsExpression(inner) => self.eval(&inner.expression),
                Expression::TSNonNullExpression(inner) => self.eval(&inner.expression),
                Expression::BinaryExpression(binary) if binary.operator.as_str() == "+" => {
                    Ok(self.eval(&binary.left)? + &self.eval(&binary.right)?)
                }
                Expression::CallExpression(call) => self.eval_call(call).ok_or_else(|| self.shown(expression))?,
                _ => Err(self.shown(expression)),
            }
        }

        /// `path.join(..)`, `path.resolve(..)` (or `join`/`resolve` imported), `process.cwd()`.
        fn eval_call(&self, call: &CallExpression<'_>) -> Option<Evaluated> {
            let name = callee_name(&call.callee)?;
            if call.callee.is_specific_member_access("process", "cwd") {
                return Some(Ok(self.cwd.to_string()));
            }
            let resolve = match name {
                "join" => false,
                "resolve" => true,
                _ => return None,
            };
            let mut parts = Vec::new();
            for argument in &call.arguments {
                let Some(expression) = argument.as_expression() else { return Some(Err(self.shown_span(call.span))) };
                match self.eval(expression) {
                    Ok(part) => parts.push(part),
                    Err(e) => return Some(Err(e)),
                }
            }
            Some(Ok(join_paths(&parts, resolve.then_some(self.cwd))))
        }

        fn shown(&self, expression: &Expression<'_>) -> String {
            use oxc_span::GetSpan;
            self.shown_span(expression.span())
        }

        fn shown_span(&self, span: oxc_span::Span) -> String {
            let text = self.text.get(span.start as usize..span.end as usize).unwrap_or("");
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().count() > MAX_SHOWN {
                format!("{}…", text.chars().take(MAX_SHOWN).collect::<String>())
            } else {
                text
            }
        }
    }

    /// Node's `path.join` (`resolve_from` None) or `path.resolve` (from the working folder):
    /// the parts joined, `.` and `..` applied.
    fn join_paths(parts: &[String], resolve_from: Option<&str>) -> String {
        let mut joined = resolve_from.map(str::to_string).unwrap_or_default();
        for part in parts {
            if resolve_from.is_some() && part.starts_with('/') || joined.is_empty() {
                joined = part.clone();
            } else {
                joined = format!("{joined}/{part}");
            }
        }
        let normalised = crate::fs::absolute(Path::new("/"), Path::new(&joined));
        if joined.starts_with('/') {
            normalised.to_string_lossy().into_owned()
        } else {
            normalised.to_string_lossy().trim_start_matches('/').to_string()
        }
    }

    /// The called name: `join` of `path.join`, `RustFunction` of `new cl.RustFunction`.
    fn callee_name<'e>(callee: &'e Expression<'_>) -> Option<&'e str> {
        match callee {
            Expression::Identifier(id) => Some(id.name.as_str()),
            Expression::StaticMemberExpression(member) => Some(member.property.name.as_str()),
            _ => None,
        }
    }

    struct Scan<'t> {
        env: Env<'t>,
        offsets: &'t [u32],
        found: Vec<Option<ConstructCall>>,
    }

    impl Scan<'_> {
        /// Records `span` as the call of every offset it holds more tightly than the one found.
        fn consider(&mut self, span: oxc_span::Span, describe: impl Fn(&Env<'_>) -> ConstructCall) {
            let mut described: Option<ConstructCall> = None;
            for (i, &offset) in self.offsets.iter().enumerate() {
                let inside = span.start <= offset && offset < span.end;
                let tighter = self.found[i].as_ref().is_none_or(|f| f.span.len() > span.end - span.start);
                if inside && tighter {
                    let call = described.get_or_insert_with(|| describe(&self.env)).clone();
                    self.found[i] = Some(call);
                }
            }
        }
    }

    impl<'a> Visit<'a> for Scan<'_> {
        fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
            walk::walk_variable_declarator(self, it);
            if it.kind != VariableDeclarationKind::Const {
                return;
            }
            if let (BindingPatternKind::BindingIdentifier(id), Some(init)) = (&it.id.kind, &it.init) {
                if let Ok(value) = self.env.eval(init) {
                    self.env.constants.insert(id.name.to_string(), value);
                }
            }
        }

        fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
            self.consider(it.span, |env| describe(env, it.span, &it.callee, &it.arguments, true));
            walk::walk_new_expression(self, it);
        }

        fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
            self.consider(it.span, |env| describe(env, it.span, &it.callee, &it.arguments, false));
            walk::walk_call_expression(self, it);
        }
    }

    fn describe(
        env: &Env<'_>,
        span: oxc_span::Span,
        callee: &Expression<'_>,
        arguments: &[Argument<'_>],
        is_new: bool,
    ) -> ConstructCall {
        let mut keys = Keys::default();
        let mut assets = Assets { env, found: None };
        for argument in arguments {
            keys.visit_argument(argument);
            assets.visit_argument(argument);
        }
        let rust_function = is_new && callee_name(callee) == Some("RustFunction");
        let code = if rust_function {
            let props = arguments.get(2).and_then(Argument::as_expression).and_then(object);
            Some(CodeSource::RustFunction {
                manifest: props.and_then(|p| property(p, "manifestPath")).map(|v| env.eval(v)),
                bin: props.and_then(|p| property(p, "binaryName").or_else(|| property(p, "bin"))).map(|v| env.eval(v)),
            })
        } else {
            assets.found.map(CodeSource::Asset)
        };
        ConstructCall { span: Span::new(span.start, span.end), keys: keys.found, code }
    }

    fn object<'e, 'a>(expression: &'e Expression<'a>) -> Option<&'e ObjectExpression<'a>> {
        match expression {
            Expression::ObjectExpression(object) => Some(object),
            _ => None,
        }
    }

    fn property<'e, 'a>(object: &'e ObjectExpression<'a>, name: &str) -> Option<&'e Expression<'a>> {
        object.properties.iter().find_map(|p| match p {
            ObjectPropertyKind::ObjectProperty(p) if p.key.is_specific_static_name(name) => Some(&p.value),
            _ => None,
        })
    }

    /// Every object-literal key inside an expression.
    #[derive(Default)]
    struct Keys {
        found: Vec<(String, Span)>,
    }

    impl<'a> Visit<'a> for Keys {
        fn visit_object_property(&mut self, it: &ObjectProperty<'a>) {
            use oxc_span::GetSpan;
            if let Some(name) = it.key.static_name() {
                let span = it.key.span();
                self.found.push((name.to_string(), Span::new(span.start, span.end)));
            }
            walk::walk_object_property(self, it);
        }
    }

    /// The first `Code.fromAsset(path)` (or `AssetCode.fromAsset`) inside an expression.
    struct Assets<'e, 't> {
        env: &'e Env<'t>,
        found: Option<Evaluated>,
    }

    impl<'a> Visit<'a> for Assets<'_, '_> {
        fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
            if self.found.is_none() && callee_name(&it.callee) == Some("fromAsset") {
                let path = it.arguments.first().and_then(Argument::as_expression);
                self.found = Some(path.map_or_else(|| Err(self.env.shown_span(it.span)), |p| self.env.eval(p)));
            }
            walk::walk_call_expression(self, it);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn calls(text: &str, needles: &[&str]) -> Vec<Option<ConstructCall>> {
            let offsets: Vec<u32> = needles.iter().map(|n| text.find(n).expect("needle") as u32).collect();
            analyse(&Request { text, offsets: &offsets, dirname: "/p/lib", cwd: "/p" }).expect("parses")
        }

        #[test]
        fn rust_functions_and_assets_are_evaluated() {
            let text = r#"
import * as path from 'path';
const ROOT = path.resolve(__dirname, '..');
const BIN = 'get-order';
const CRATE = path.join(__dirname, '../services', 'orders');
class S extends Stack {
  constructor() {
    new RustFunction(this, 'A', { manifestPath: path.join(CRATE, 'Cargo.toml'), binaryName: BIN, timeout: Duration.seconds(3) });
    new lambda.Function(this, 'B', { code: lambda.Code.fromAsset(`${ROOT}/target/lambda/${BIN}`) });
    new lambda.Function(this, 'C', { code: lambda.Code.fromAsset(process.env.DIR ?? 'dist') });
    new lambda.Function(this, 'D', { code: lambda.Code.fromAsset('target/lambda/' + 'x') });
  }
}"#;
            let found = calls(
                text,
                &[
                    "new RustFunction",
                    "new lambda.Function(this, 'B'",
                    "new lambda.Function(this, 'C'",
                    "new lambda.Function(this, 'D'",
                ],
            );
            let a = found[0].as_ref().unwrap();
            assert_eq!(
                a.code,
                Some(CodeSource::RustFunction {
                    manifest: Some(Ok("/p/services/orders/Cargo.toml".into())),
                    bin: Some(Ok("get-order".into()))
                })
            );
            let timeout = a.key("timeout").unwrap();
            assert_eq!(&text[timeout.start as usize..timeout.end as usize], "timeout");
            assert_eq!(
                found[1].as_ref().unwrap().code,
                Some(CodeSource::Asset(Ok("/p/target/lambda/get-order".into())))
            );
            assert_eq!(
                found[2].as_ref().unwrap().code,
                Some(CodeSource::Asset(Err("process.env.DIR ?? 'dist'".into())))
            );
            assert_eq!(found[3].as_ref().unwrap().code, Some(CodeSource::Asset(Ok("target/lambda/x".into()))));
        }

        #[test]
        fn the_innermost_call_holding_the_offset_is_chosen() {
            let text = "fn.addEventSource(new SqsEventSource(queue, { batchSize: 1 }));";
            let found = calls(text, &["addEventSource"]);
            let call = found[0].as_ref().unwrap();
            assert_eq!(call.span, Span::new(0, text.len() as u32 - 1));
            assert!(call.key("batchSize").is_some());
        }

        #[test]
        fn deep_nesting_costs_the_file_not_the_run() {
            // Each of these overflowed an 8 MiB stack unguarded.
            for text in [
                format!("const x = {}1{};", "(".repeat(20_000), ")".repeat(20_000)),
                format!("const x = {}1;", "a+".repeat(20_000)),
                format!("const x = {}X;", "new ".repeat(20_000)),
            ] {
                // Run where rayon's workers run: a 2 MiB stack.
                let outcome = std::thread::Builder::new()
                    .stack_size(2 << 20)
                    .spawn(move || {
                        super::super::analyse(&Request { text: &text, offsets: &[10], dirname: "/", cwd: "/" })
                    })
                    .unwrap()
                    .join()
                    .expect("no overflow, no panic");
                assert!(outcome.is_ok(), "parsed on a stack of its own: {outcome:?}");
            }
            let refused = format!("const x = {}1;", "a+".repeat(400_000));
            let outcome = super::super::analyse(&Request { text: &refused, offsets: &[0], dirname: "/", cwd: "/" });
            assert!(outcome.unwrap_err().contains("more than the 65536"));
        }

        #[test]
        fn broken_typescript_is_an_error_not_a_guess() {
            let text = "new RustFunction(this, 'A', { manifestPath: ";
            assert!(analyse(&Request { text, offsets: &[0], dirname: "/", cwd: "/" }).is_err());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn only_typescript_and_javascript_are_parsed() {
        assert!(super::is_script(Path::new("/app/lib/stack.ts")));
        assert!(super::is_script(Path::new("/app/bin/app.mjs")));
        assert!(!super::is_script(Path::new("/app/app.py")));
        assert!(!super::is_script(Path::new("/app/Makefile")));
    }
}
