
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cpmctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cpmctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cpmctl' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in: check credentials against the server, then save a profile and the secret')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the saved secret of a profile (the active one, or --profile NAME)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List a folder: its sub-folders and objects')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search objects by attributes, flags and dates')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show objects (attributes, flags, parts) or download their payload')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store files as message objects')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Move objects and folders to another folder')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete objects and folders')
            [CompletionResult]::new('flag', 'flag', [CompletionResultType]::ParameterValue, 'Add or remove flags on objects')
            [CompletionResult]::new('mkdir', 'mkdir', [CompletionResultType]::ParameterValue, 'Create a folder')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start an embedded demo server and take a short tour')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Regenerate completions/ and man/ (maintainers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cpmctl;login' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User name for HTTP Basic [env: CPMCTL_USER]')
            [CompletionResult]::new('--credential-store', '--credential-store', [CompletionResultType]::ParameterName, 'Where to keep the secret (default: the OS keyring; `file` is a 0600 file in the data dir)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin (the first line)')
            [CompletionResult]::new('--token-stdin', '--token-stdin', [CompletionResultType]::ParameterName, 'Read a bearer token from stdin instead of a password')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List the profiles, where each one''s secret lives, and whether it still authenticates')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cpmctl;login;status' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Do not contact the servers')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;login;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List the profiles, where each one''s secret lives, and whether it still authenticates')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cpmctl;login;help;status' {
            break
        }
        'cpmctl;login;help;help' {
            break
        }
        'cpmctl;logout' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--forget', '--forget', [CompletionResultType]::ParameterName, 'Also remove the profile from config.toml')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;ls' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;search' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;get' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;put' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;mv' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;rm' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;flag' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;mkdir' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;demo' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Directory of the SQLite database (default: the cpmctl data dir, `server/` below it)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'TOML users file with salted password hashes and token hashes')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in the URL path (`/nms/v1/STORE/BOX`)')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest accepted request body (bytes, or with a K/M/G suffix); larger ones get 413')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--demo', '--demo', [CompletionResultType]::ParameterName, 'Seed a demo user and box (idempotent) and print its URL and credentials')
            [CompletionResult]::new('--hash-password', '--hash-password', [CompletionResultType]::ParameterName, 'Print a salted hash of the password read from stdin, for the users file, and exit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;generate' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Repository root: files go to DIR/completions and DIR/man')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More diagnostics on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines or summaries on stderr (errors and warnings still show)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cpmctl;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in: check credentials against the server, then save a profile and the secret')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove the saved secret of a profile (the active one, or --profile NAME)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List a folder: its sub-folders and objects')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search objects by attributes, flags and dates')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show objects (attributes, flags, parts) or download their payload')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store files as message objects')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Move objects and folders to another folder')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete objects and folders')
            [CompletionResult]::new('flag', 'flag', [CompletionResultType]::ParameterValue, 'Add or remove flags on objects')
            [CompletionResult]::new('mkdir', 'mkdir', [CompletionResultType]::ParameterValue, 'Create a folder')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start an embedded demo server and take a short tour')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Regenerate completions/ and man/ (maintainers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cpmctl;help;login' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List the profiles, where each one''s secret lives, and whether it still authenticates')
            break
        }
        'cpmctl;help;login;status' {
            break
        }
        'cpmctl;help;logout' {
            break
        }
        'cpmctl;help;ls' {
            break
        }
        'cpmctl;help;search' {
            break
        }
        'cpmctl;help;get' {
            break
        }
        'cpmctl;help;put' {
            break
        }
        'cpmctl;help;mv' {
            break
        }
        'cpmctl;help;rm' {
            break
        }
        'cpmctl;help;flag' {
            break
        }
        'cpmctl;help;mkdir' {
            break
        }
        'cpmctl;help;demo' {
            break
        }
        'cpmctl;help;serve' {
            break
        }
        'cpmctl;help;completions' {
            break
        }
        'cpmctl;help;generate' {
            break
        }
        'cpmctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
