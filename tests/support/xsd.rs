//! A validator for the part of XML Schema that `tests/data/junit.xsd` uses: global elements,
//! named and inline complex types (mixed or not), `xs:sequence` and `xs:choice` of element
//! references with `minOccurs`/`maxOccurs`, attributes with `use="required"`, and the simple
//! types `xs:string`, `xs:decimal`, `xs:nonNegativeInteger` and restrictions of them with
//! `minInclusive`. Anything else in the schema is a panic, so the schema cannot quietly grow
//! past what is checked. The XML is read with quick-xml.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

/// An element: its name, attributes, child elements and text.
#[derive(Clone, Debug, Default)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub text: String,
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// The root element of `xml`; panics on XML that is not well-formed.
pub fn parse(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    reader.check_end_names(true);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not well-formed XML: {e}")) {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let node = element(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().expect("balanced").children.push(node);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.unescape().expect("valid escapes")),
            Event::CData(t) => stack.last_mut().unwrap().text.push_str(std::str::from_utf8(&t).unwrap()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Node {
    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().expect("valid escapes").into_owned(),
            )
        })
        .collect();
    Node { name, attrs, ..Node::default() }
}

#[derive(Clone, Debug)]
enum Content {
    /// Text only (`type="xs:string"`).
    Text,
    Complex(Complex),
}

#[derive(Clone, Debug, Default)]
struct Complex {
    mixed: bool,
    /// `(name, simple type, required)`.
    attributes: Vec<(String, String, bool)>,
    /// The element references and the group they are in.
    group: Option<Group>,
}

#[derive(Clone, Debug)]
struct Group {
    choice: bool,
    min: usize,
    max: Option<usize>,
    /// `(element name, min, max)`.
    particles: Vec<(String, usize, Option<usize>)>,
}

/// A schema, read.
pub struct Schema {
    elements: HashMap<String, Content>,
    /// Named simple types: `(base, minInclusive)`.
    simple: HashMap<String, (String, Option<f64>)>,
}

fn occurs(node: &Node, name: &str) -> Option<usize> {
    match node.attr(name) {
        None => Some(1),
        Some("unbounded") => None,
        Some(n) => Some(n.parse().expect("a number")),
    }
}

impl Schema {
    pub fn parse(xsd: &str) -> Schema {
        let root = parse(xsd);
        assert_eq!(root.name, "xs:schema");
        let mut named: HashMap<String, Complex> = HashMap::new();
        let mut simple = HashMap::new();
        for child in &root.children {
            match child.name.as_str() {
                "xs:complexType" => {
                    named.insert(child.attr("name").unwrap().to_string(), complex(child));
                }
                "xs:simpleType" => {
                    let restriction = &child.children[0];
                    assert_eq!(restriction.name, "xs:restriction");
                    let min = restriction
                        .children
                        .iter()
                        .map(|facet| {
                            assert_eq!(facet.name, "xs:minInclusive", "unsupported facet");
                            facet.attr("value").unwrap().parse::<f64>().unwrap()
                        })
                        .next();
                    simple.insert(
                        child.attr("name").unwrap().to_string(),
                        (restriction.attr("base").unwrap().to_string(), min),
                    );
                }
                "xs:element" => {}
                other => panic!("unsupported schema item {other}"),
            }
        }
        let mut elements = HashMap::new();
        for child in root.children.iter().filter(|c| c.name == "xs:element") {
            let name = child.attr("name").unwrap().to_string();
            let content = match child.attr("type") {
                Some("xs:string") => Content::Text,
                Some(t) => Content::Complex(named.get(t).unwrap_or_else(|| panic!("unknown type {t}")).clone()),
                None => Content::Complex(complex(&child.children[0])),
            };
            elements.insert(name, content);
        }
        Schema { elements, simple }
    }

    /// Validates `root` as a document; the error says what and where.
    pub fn validate(&self, root: &Node) -> Result<(), String> {
        self.element(root, &root.name)
    }

    fn element(&self, node: &Node, at: &str) -> Result<(), String> {
        let content =
            self.elements.get(&node.name).ok_or_else(|| format!("{at}: element {} is not in the schema", node.name))?;
        match content {
            Content::Text => {
                if node.children.is_empty() {
                    Ok(())
                } else {
                    Err(format!("{at}: text-only element has child elements"))
                }
            }
            Content::Complex(complex) => self.complex(node, complex, at),
        }
    }

    fn complex(&self, node: &Node, complex: &Complex, at: &str) -> Result<(), String> {
        for (name, value) in &node.attrs {
            let (_, kind, _) = complex
                .attributes
                .iter()
                .find(|(n, _, _)| n == name)
                .ok_or_else(|| format!("{at}: attribute {name} is not allowed"))?;
            self.simple_value(kind, value).map_err(|e| format!("{at}/@{name}: {e}"))?;
        }
        for (name, _, required) in &complex.attributes {
            if *required && node.attr(name).is_none() {
                return Err(format!("{at}: required attribute {name} is missing"));
            }
        }
        if !complex.mixed && !node.text.trim().is_empty() {
            return Err(format!("{at}: text is not allowed"));
        }
        let names: Vec<&str> = node.children.iter().map(|c| c.name.as_str()).collect();
        match &complex.group {
            None if names.is_empty() => {}
            None => return Err(format!("{at}: no child elements are allowed")),
            Some(group) => check_group(group, &names).map_err(|e| format!("{at}: {e}"))?,
        }
        for child in &node.children {
            self.element(child, &format!("{at}/{}", child.name))?;
        }
        Ok(())
    }

    fn simple_value(&self, kind: &str, value: &str) -> Result<(), String> {
        let (base, min) = match self.simple.get(kind) {
            Some((base, min)) => (base.as_str(), *min),
            None => (kind, None),
        };
        let number = match base {
            "xs:string" => return Ok(()),
            "xs:nonNegativeInteger" if value.bytes().all(|b| b.is_ascii_digit()) && !value.is_empty() => {
                value.parse::<f64>().unwrap()
            }
            "xs:decimal" if value.parse::<f64>().is_ok() && !value.contains(['e', 'E']) => value.parse().unwrap(),
            "xs:nonNegativeInteger" | "xs:decimal" => return Err(format!("`{value}` is not a valid {base}")),
            other => panic!("unsupported simple type {other}"),
        };
        match min {
            Some(min) if number < min => Err(format!("{value} is below {min}")),
            _ => Ok(()),
        }
    }
}

fn complex(node: &Node) -> Complex {
    assert_eq!(node.name, "xs:complexType");
    let mut out = Complex { mixed: node.attr("mixed") == Some("true"), ..Complex::default() };
    for child in &node.children {
        match child.name.as_str() {
            "xs:attribute" => out.attributes.push((
                child.attr("name").unwrap().to_string(),
                child.attr("type").unwrap().to_string(),
                child.attr("use") == Some("required"),
            )),
            "xs:sequence" | "xs:choice" => {
                let particles = child
                    .children
                    .iter()
                    .map(|p| {
                        assert_eq!(p.name, "xs:element");
                        (
                            p.attr("ref").expect("element references only").to_string(),
                            occurs(p, "minOccurs").unwrap(),
                            occurs(p, "maxOccurs"),
                        )
                    })
                    .collect();
                out.group = Some(Group {
                    choice: child.name == "xs:choice",
                    min: occurs(child, "minOccurs").unwrap(),
                    max: occurs(child, "maxOccurs"),
                    particles,
                });
            }
            other => panic!("unsupported complex type item {other}"),
        }
    }
    out
}

/// Children against a group: a repeated choice takes any allowed element each time; a
/// sequence (once) takes its particles in order, each within its occurrences.
fn check_group(group: &Group, names: &[&str]) -> Result<(), String> {
    if group.choice {
        assert!(group.particles.iter().all(|(_, min, max)| *min <= 1 && *max == Some(1)), "unsupported choice");
        if let Some(bad) = names.iter().find(|n| !group.particles.iter().any(|(p, _, _)| p == *n)) {
            return Err(format!("element {bad} is not allowed here"));
        }
        let count = names.len();
        if count < group.min || group.max.is_some_and(|max| count > max) {
            return Err(format!("{count} child elements, out of the allowed range"));
        }
        return Ok(());
    }
    assert_eq!((group.min, group.max), (1, Some(1)), "unsupported repeated sequence");
    let mut rest = names;
    for (name, min, max) in &group.particles {
        let taken = rest.iter().take_while(|n| *n == name).count();
        if taken < *min || max.is_some_and(|max| taken > max) {
            return Err(format!("{taken} {name} elements, out of the allowed range"));
        }
        rest = &rest[taken..];
    }
    match rest.first() {
        Some(extra) => Err(format!("element {extra} is not allowed here")),
        None => Ok(()),
    }
}
