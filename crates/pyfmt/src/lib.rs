//! Python's `str.format`, digit for digit.
//!
//! Programs that replace a Python tool keep its users' format templates working only if
//! they print what Python prints. This crate re-implements the parts of CPython 3.11 that
//! shape that output, each module one job:
//!
//! - [`parse`]: the template parser (`{name!conversion:spec}`, `{{`/`}}`, nested fields
//!   in specs), with CPython's acceptance rules;
//! - [`value`]: the value model ([`PyVal`]: what `json.load` produces) and its `str()`,
//!   `repr()`, `ascii()`, truthiness and `float()`;
//! - [`spec`]: the format-spec mini-language;
//! - [`format()`]: Python's built-in `format(value, spec)` for `str`, `int`, `bool`, `float`;
//! - [`float`]: float to text (`repr()`, `e`/`f`/`g`) as `PyOS_double_to_string`, and
//!   Python's float `//`, `%` and `int()`;
//! - [`printable`]: `str.isprintable()`, which decides what `repr()` escapes;
//! - [`Formatter`]: `string.Formatter` with its `get_value`/`convert_field`/`format_field`
//!   hooks, for programs that, like a Python subclass, add conversions of their own.
//!
//! Nothing here panics or allocates without bound on any input: widths and precisions
//! above [`spec::MAX_WIDTH_OR_PRECISION`] are refused as a bad spec is, where Python would
//! try to build the string.

pub mod float;
mod format;
mod formatter;
pub mod parse;
pub mod printable;
pub mod spec;
pub mod value;

pub use float::{float_repr, format_fixed};
pub use format::format;
pub use formatter::{Error, Formatter, MAX_RECURSION};
pub use parse::{Field, Piece, SyntaxError, parse};
pub use value::{PyVal, parse_float, str_repr};
