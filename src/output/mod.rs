//! Output: where the reports go. [`set`] keeps the report set in `--out` whole —
//! one run at a time, replaced all at once, recovered after a kill; the emitters
//! that format each report join it here (see the architecture notes).

pub mod set;
