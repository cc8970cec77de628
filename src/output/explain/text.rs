//! `explain`'s text: aligned lines a person reads on a terminal, with ✓, ✗ and
//! – for a check that did not apply (in colour only on a terminal, and never
//! with `NO_COLOR`).

use super::checks;
use crate::decision::{CustomerDecisions, SubscriptionDecision, Verdict};
use crate::text::{Context, ExplainTexts, Texts};

/// How marks are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    fn mark(self, passed: bool, applicable: bool) -> &'static str {
        if !applicable {
            return "–";
        }
        match (passed, self.colour) {
            (true, true) => "\x1b[32m✓\x1b[0m",
            (false, true) => "\x1b[31m✗\x1b[0m",
            (true, false) => "✓",
            (false, false) => "✗",
        }
    }
}

/// The width of the code column: the longest code.
const CODE_WIDTH: usize = 36;

/// One customer and the subscriptions asked about (positions).
pub fn customer(
    out: &mut String,
    texts: &dyn ExplainTexts,
    details: &dyn Texts,
    style: Style,
    cx: &Context<'_>,
    decisions: &CustomerDecisions,
    positions: &[usize],
) {
    let mut line = String::new();
    let push_line = |out: &mut String, indent: usize, line: &mut String| {
        out.push_str(&" ".repeat(indent));
        out.push_str(line);
        out.push('\n');
        line.clear();
    };
    texts.customer(&mut line, cx);
    push_line(out, 0, &mut line);
    texts.relationships_heading(&mut line, cx);
    push_line(out, 0, &mut line);
    for relationship in cx.customer.relationships {
        line.push_str(style.mark(relationship.is_active_on(cx.as_of), true));
        line.push(' ');
        texts.relationship(&mut line, cx, relationship);
        push_line(out, 2, &mut line);
    }
    for &position in positions {
        out.push('\n');
        texts.subscription(&mut line, cx, position);
        push_line(out, 0, &mut line);
        let pairs = match &decisions.subscriptions[position] {
            SubscriptionDecision::Evaluated(pairs) => pairs,
            other => {
                let other_channel = matches!(other, SubscriptionDecision::OtherChannel);
                texts.not_evaluated(&mut line, cx, position, other_channel);
                push_line(out, 2, &mut line);
                continue;
            }
        };
        for pair in pairs {
            texts.target(&mut line, cx, pair);
            push_line(out, 2, &mut line);
            for view in checks(pair) {
                line.push_str(style.mark(view.passed, view.applicable));
                line.push_str(&format!(
                    " {} {:<CODE_WIDTH$} ",
                    view.check,
                    view.code.code()
                ));
                if view.applicable {
                    texts.check(&mut line, cx, position, pair, view.check, view.failure);
                } else {
                    texts.not_applicable(&mut line);
                }
                push_line(out, 6, &mut line);
            }
            if let Verdict::Eligible(eligible) = &pair.verdict {
                let users = cx.evidence.reassignments(eligible.reassignments);
                if users.is_empty() {
                    continue;
                }
                texts.reassignments_heading(&mut line);
                push_line(out, 6, &mut line);
                let source = cx.customer.subscriptions[position].offer;
                for user in users {
                    for finding in &user.findings {
                        line.push_str(&format!(
                            "{} {} ({}): ",
                            cx.customer.user_name(user.user),
                            finding.reason.code(),
                            cx.catalog.vocabulary().join(&finding.services, ", ")
                        ));
                        if let Some(source) = source {
                            details.reassignment_details(
                                &mut line,
                                cx,
                                finding,
                                source,
                                pair.target,
                            );
                        }
                        push_line(out, 8, &mut line);
                    }
                }
            }
        }
    }
}
