//! `con-duct`: con-duct 0.23.0's command suite (`run`, `ls`, `pp`, `plot`, `krb-status`), from duct's library.

fn main() -> std::process::ExitCode {
    duct::con_duct_main()
}
