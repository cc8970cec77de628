//! The English words of the workbook.

use crate::text::grouped;
use crate::text::workbook::WorkbookWords;

pub static WORKBOOK: WorkbookWords = WorkbookWords {
    sheets: [
        "Summary",
        "Overview",
        "Eligible",
        "Blocked",
        "Reassignments",
        "Changes",
        "Actions",
        "Rejects",
    ],
    headings: &[],
    title: "Upgrade reconciliation",
    as_of: "As of",
    catalog: "Catalog",
    filter: "Filtered to",
    subscriptions: "Subscriptions",
    subscription_counts: [
        "total",
        "evaluated",
        "eligible",
        "blocked",
        "not upgradable",
        "other channel",
    ],
    pairs: "Upgrade pairs (subscription, target offer)",
    pair_counts: ["eligible", "blocked"],
    by_reason: "Blocked pairs by reason (first failing code)",
    reassignments: "Users whose licenses need attention (reassignment rows)",
    changes: "Changes since the previous run (see Changes)",
    change_counts: [
        "added",
        "removed",
        "newly eligible",
        "newly blocked",
        "reasons changed",
    ],
    total: "total",
    none: "none",
    rejected: "Rejected input rows (see Rejects)",
    neutralized: "CSV cells written with a leading ' (formula guard)",
    top_actions: "Top actions (the first rows of the Actions sheet)",
    cut: |length| format!("… [cut: {} characters]", grouped(length, ',')),
};
