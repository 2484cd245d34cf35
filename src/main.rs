fn main() -> std::process::ExitCode {
    cpmctl::cli::main()
}
