//! `duct`: the runner. Everything lives in the library, shared with `con-duct` (src/bin/con-duct.rs).

fn main() -> std::process::ExitCode {
    duct::duct_main()
}
