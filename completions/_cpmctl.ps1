
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
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List a folder: its sub-folders, then its objects (newest first)')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search objects. Filters combine with AND; results stream page by page, newest first')
            [CompletionResult]::new('conversations', 'conversations', [CompletionResultType]::ParameterValue, 'List conversations: 1-1 chats and group chats by Conversation-ID, SMS/MMS by peer set')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export conversations: transcripts (HTML, text), full-fidelity records and attachments')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show objects'' metadata (attributes, flags, parts), or save their payload')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store files as message objects')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import message histories into the box')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Move objects and folders into a folder')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete objects, or folders with everything in them (`-r`)')
            [CompletionResult]::new('flag', 'flag', [CompletionResultType]::ParameterValue, 'Add or remove a flag on objects')
            [CompletionResult]::new('mkdir', 'mkdir', [CompletionResultType]::ParameterValue, 'Create a folder')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Try cpmctl on a demo message store: no setup, no network')
            [CompletionResult]::new('subscribe', 'subscribe', [CompletionResultType]::ParameterValue, 'Watch a box: print every change (new, flagged, moved, deleted objects and folders) as it happens')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Mirror a box into a local directory and bring it up to date with the store')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Compare a mirror directory with the store without changing either')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Overview of a box: objects and bytes by message context, by folder (top N) and by month, unread, oldest and newest, the largest objects')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Regenerate completions/ and man/ (maintainers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cpmctl;login' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User name for HTTP Basic [env: CPMCTL_USER]')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Get the password from this command''s output each time instead of storing it (`pass show nms/demo`); run without a shell, under a timeout, output never shown')
            [CompletionResult]::new('--credential-store', '--credential-store', [CompletionResultType]::ParameterName, 'Where to keep the secret (default: the OS keyring; `file` is a 0600 file in the data dir)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N entries [default: 100; with -R: all]')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Continue a listing from the cursor a previous run printed')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of sub-folders: by name, or by last activity (newest conversation first). Objects always come newest first')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Entries per request (the server may answer fewer)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'List the whole tree below the folder: one section per folder in a table, the folder''s path as a last column in plain rows')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'List the whole tree below the folder: one section per folder in a table, the folder''s path as a last column in plain rows')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show every entry (fetched page by page)')
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
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Sender address; a number matches however it is stored (+1555…, tel:+1555…, sip:+1555…@host;user=phone)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Recipient address, matched like --from (not Cc/Bcc)')
            [CompletionResult]::new('--participant', '--participant', [CompletionResultType]::ParameterName, 'Sender or recipient address, matched like --from')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Message context: sms, mms, chat, file, standalone, imdn, voice, … or a full value such as pager-message')
            [CompletionResult]::new('--conversation', '--conversation', [CompletionResultType]::ParameterName, 'Conversation-ID')
            [CompletionResult]::new('--contribution', '--contribution', [CompletionResultType]::ParameterName, 'Contribution-ID')
            [CompletionResult]::new('--in-reply-to', '--in-reply-to', [CompletionResultType]::ParameterName, 'InReplyTo-Contribution-ID')
            [CompletionResult]::new('--correlation-id', '--correlation-id', [CompletionResultType]::ParameterName, 'correlationId (IMDN Message-ID of chat/FT, Message-ID of MMS)')
            [CompletionResult]::new('--correlation-tag', '--correlation-tag', [CompletionResultType]::ParameterName, 'correlationTag (SMS hash)')
            [CompletionResult]::new('--flag', '--flag', [CompletionResultType]::ParameterName, 'Only objects with this flag (seen, flagged, answered, deleted, draft, …); repeatable')
            [CompletionResult]::new('--no-flag', '--no-flag', [CompletionResultType]::ParameterName, 'Only objects without this flag; repeatable (e.g. --no-flag seen for unread)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Stored before (exclusive): same forms as --since')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'Case-insensitive substring of any text attribute (subject, text, names)')
            [CompletionResult]::new('--attr', '--attr', [CompletionResultType]::ParameterName, 'Attribute NAME=VALUE (exact); repeatable')
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'Only this folder''s subtree (path or id)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort: date (oldest first), -date (newest first, the default), size / -size, or NAME / -NAME for an attribute (e.g. from, subject)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N results [default: 50]')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'Continue from the cursor a previous run printed')
            [CompletionResult]::new('--criteria', '--criteria', [CompletionResultType]::ParameterName, 'Raw JSON criteria from FILE or `-` (stdin): a selectionCriteria or a searchCriteria, wrapped in its root element or bare. Filter flags are AND-ed to it')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Results per request (the server may answer fewer)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show every result (fetched page by page)')
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
        'cpmctl;conversations' {
            [CompletionResult]::new('--participant', '--participant', [CompletionResultType]::ParameterName, 'Only conversations this address takes part in (any spelling of a number)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only objects stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only objects stored before (exclusive): same forms as --since')
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'Only this folder''s subtree (path or id)')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Read a mirror made by `cpmctl sync DIR` instead of the server (offline)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Objects per request (the server may answer fewer)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
        'cpmctl;export' {
            [CompletionResult]::new('--conversation', '--conversation', [CompletionResultType]::ParameterName, 'The conversations (IDs from `cpmctl conversations`, 6+ digit prefixes, or full keys)')
            [CompletionResult]::new('--participant', '--participant', [CompletionResultType]::ParameterName, 'Every conversation this address takes part in (any spelling of a number)')
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'Everything in this folder''s subtree (path or id), objects of no conversation included')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only objects stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only objects stored before (exclusive): same forms as --since')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The export directory (created; must be empty unless --update)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Formats, comma-separated: html, txt, jsonl, eml, mbox, csv, smsbr')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of transcript times (IANA name such as Europe/Berlin); default: this machine''s')
            [CompletionResult]::new('--split', '--split', [CompletionResultType]::ParameterName, 'At most N messages per transcript page (numbered pages linked to each other)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'A directory of templates (header.html, message.html, …) replacing the default ones')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Payload parts downloaded at once')
            [CompletionResult]::new('--mirror', '--mirror', [CompletionResultType]::ParameterName, 'Read a mirror made by `cpmctl sync DIR` instead of the server (offline)')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Objects per search request')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every object of the box')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Merge into an existing export: new messages added, changed flags updated, messages gone from the store marked deleted (never dropped); transcripts and manifest rewritten')
            [CompletionResult]::new('--zip', '--zip', [CompletionResultType]::ParameterName, 'Also write DIR.zip holding the same files')
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
            [CompletionResult]::new('--part', '--part', [CompletionResultType]::ParameterName, 'Save this payload part (its id, Content-ID or 1-based number); repeatable')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to FILE, or into DIR (an existing directory, a path ending in `/`, or whenever several payloads are saved)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Metadata reads in flight at once, 1 to 64 (records still come out in the order given)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'Save the whole payload')
            [CompletionResult]::new('--all-parts', '--all-parts', [CompletionResultType]::ParameterName, 'Save every payload part')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite existing files')
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
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'Folder path (created when missing) or folder id to store into')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'A full object (JSON `object`, wrapped or bare) to store; FILEs become its parts')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Message context: sms, mms, chat, file, standalone, … or a full Message-Context value')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Sender address (From)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Recipient address (To); repeatable')
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'Message date: RFC 3339, a day, or an age like 2h (default: now)')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Direction: in or out (for SMS inferred from --from/--to when omitted)')
            [CompletionResult]::new('--conversation', '--conversation', [CompletionResultType]::ParameterName, 'Conversation-ID')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Subject')
            [CompletionResult]::new('--attr', '--attr', [CompletionResultType]::ParameterName, 'Any attribute NAME=VALUE; repeatable (a repeated NAME adds values)')
            [CompletionResult]::new('--flag', '--flag', [CompletionResultType]::ParameterName, 'Flags to set on the new object (seen, flagged, …); repeatable')
            [CompletionResult]::new('--correlation-id', '--correlation-id', [CompletionResultType]::ParameterName, 'correlationId to store (IMDN Message-ID, MMS Message-ID)')
            [CompletionResult]::new('--correlation-tag', '--correlation-tag', [CompletionResultType]::ParameterName, 'correlationTag to store instead of the computed SMS hash')
            [CompletionResult]::new('--content-type', '--content-type', [CompletionResultType]::ParameterName, 'Content type of the payload (default: guessed from the file name)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Parallel requests')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Objects per bulkCreation request (at most 100)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Also take files from sub-directories')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Also take files from sub-directories')
            [CompletionResult]::new('--no-bulk', '--no-bulk', [CompletionResultType]::ParameterName, 'One POST per object instead of bulkCreation')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Keep stdin exactly as read (by default one trailing newline, what `echo` adds, is dropped from text on stdin, so an SMS''s correlationTag matches what a phone computes)')
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
        'cpmctl;import' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The input format (auto: recognised by content)')
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'One folder for everything (path, created when missing, or folder id) instead of the conversation folders')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'bulkCreation requests in flight')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Where `rejects.<ext>` and `rejects.log` are written when records are rejected')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Objects per bulkCreation request (at most 100)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read and map everything and print what would be created; write nothing at all (not the ledger, not the rejects)')
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
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Parallel requests')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Parallel requests')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Also delete folders (with all they contain)')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Also delete folders (with all they contain)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when not on a terminal)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show what would be deleted; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be deleted; change nothing')
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
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Set FLAG on the objects')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Clear FLAG on the objects')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cpmctl;flag;add' {
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Parallel requests')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--keyword', '--keyword', [CompletionResultType]::ParameterName, 'FLAG is a free keyword, set exactly as given (without it, a bare name that is not a CPM flag, such as `read`, is refused as a likely slip)')
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
        'cpmctl;flag;rm' {
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Parallel requests')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--keyword', '--keyword', [CompletionResultType]::ParameterName, 'FLAG is a free keyword, set exactly as given (without it, a bare name that is not a CPM flag, such as `read`, is refused as a likely slip)')
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
        'cpmctl;flag;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Set FLAG on the objects')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Clear FLAG on the objects')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cpmctl;flag;help;add' {
            break
        }
        'cpmctl;flag;help;rm' {
            break
        }
        'cpmctl;flag;help;help' {
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
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Create missing parent folders; an existing folder is not an error')
            [CompletionResult]::new('--parents', '--parents', [CompletionResultType]::ParameterName, 'Create missing parent folders; an existing folder is not an error')
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
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port for the demo server (default: any free port)')
            [CompletionResult]::new('--save-dir', '--save-dir', [CompletionResultType]::ParameterName, 'Directory for the saved image (default: a new directory under the system temp dir)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--serve', '--serve', [CompletionResultType]::ParameterName, 'Keep the demo server running after the tour (until Ctrl-C)')
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
        'cpmctl;subscribe' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only report changes of objects matching this searchCriteria (JSON FILE, or `-` for stdin)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Only this message context: sms, mms, chat, file, … or a full value such as pager-message')
            [CompletionResult]::new('--conversation', '--conversation', [CompletionResultType]::ParameterName, 'Only this Conversation-ID')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Subscription duration to ask for, in seconds (renewed before it runs out)')
            [CompletionResult]::new('--hold-ms', '--hold-ms', [CompletionResultType]::ParameterName, 'How long later notifications wait for a missing one before it is fetched again (ms)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue from the position saved by the previous run of this profile')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Leave the subscription and the channel on the server when stopping (a later `--resume --keep` reuses them)')
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
        'cpmctl;sync' {
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Objects downloaded at once')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Objects per search page; the index is committed after each page (pages of small objects in batches of up to 5 pages or 8 MiB of payload)')
            [CompletionResult]::new('--quiet-ms', '--quiet-ms', [CompletionResultType]::ParameterName, 'How long a steady-state run waits after the last replayed change list for another (ms), when the lists do not end at the store''s current restartToken')
            [CompletionResult]::new('--max-delete', '--max-delete', [CompletionResultType]::ParameterName, 'A full reconciling run deletes at most this many of the mirror''s objects (`N`) or this share of them (`P%`); more refuse the run and delete nothing (exit 7)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Plan and print the counts; write nothing at all (not the index, not the lock)')
            [CompletionResult]::new('--resync', '--resync', [CompletionResultType]::ParameterName, 'Reconcile from a full listing as on the first run (files matching by id are kept)')
            [CompletionResult]::new('--no-trash', '--no-trash', [CompletionResultType]::ParameterName, 'Delete files of objects gone from the store instead of moving them to `.cpmctl/trash/`')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Files deleted in the mirror are deleted on the store too (without it they come back)')
            [CompletionResult]::new('--pull-only', '--pull-only', [CompletionResultType]::ParameterName, 'Only bring the store''s changes into the mirror; push nothing')
            [CompletionResult]::new('--push-only', '--push-only', [CompletionResultType]::ParameterName, 'Only push the mirror''s changes to the store; pull nothing')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'After catching up, stay on the notification channel and apply each change as it arrives; Ctrl-C finishes the change in hand, commits it and exits 130')
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
        'cpmctl;check' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress display for bulk work on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, off with NO_COLOR)')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Also fetch every payload from the store again and compare its bytes with the file''s')
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
        'cpmctl;stats' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Folders and largest objects to list')
            [CompletionResult]::new('--box-id', '--box-id', [CompletionResultType]::ParameterName, 'Survey this box (repeat for several; the profile''s credentials must open them). (`--box` is the global single-box option, hence the other name.)')
            [CompletionResult]::new('--boxes', '--boxes', [CompletionResultType]::ParameterName, 'Survey the boxes listed in FILE, one id a line (`#` comments, blank lines skipped)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Boxes surveyed at once')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('--max-folder-depth', '--max-folder-depth', [CompletionResultType]::ParameterName, 'Deepest folder level below the root (`/a/b` is level 2)')
            [CompletionResult]::new('--max-attributes', '--max-attributes', [CompletionResultType]::ParameterName, 'Most attribute values one object or folder may carry')
            [CompletionResult]::new('--max-attribute-size', '--max-attribute-size', [CompletionResultType]::ParameterName, 'Longest attribute name or value (bytes, or with a K/M/G suffix)')
            [CompletionResult]::new('--protect-folder', '--protect-folder', [CompletionResultType]::ParameterName, 'A folder (box path, e.g. /Default) nothing may be created in or below, nor moved or copied into: 403 POL1031. Repeatable')
            [CompletionResult]::new('--fixed-folder', '--fixed-folder', [CompletionResultType]::ParameterName, 'A folder that may not be renamed: 403 POL1030 (the root never may). Repeatable')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Open connections at most; at the cap the oldest idle connection is closed to make room')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Time a client has to send a request''s headers (also the keep-alive idle timeout)')
            [CompletionResult]::new('--body-timeout', '--body-timeout', [CompletionResultType]::ParameterName, 'Longest pause allowed while a request body arrives')
            [CompletionResult]::new('--max-selection', '--max-selection', [CompletionResultType]::ParameterName, 'Objects one bulkUpdate / bulkDelete by selection may touch')
            [CompletionResult]::new('--synchronous', '--synchronous', [CompletionResultType]::ParameterName, 'Commit durability: `full` survives power loss; `normal` is faster but may lose the last acknowledged writes on power loss or an OS crash')
            [CompletionResult]::new('--fault-drop', '--fault-drop', [CompletionResultType]::ParameterName, 'Testing: share (0-1) of notification lists dropped')
            [CompletionResult]::new('--fault-duplicate', '--fault-duplicate', [CompletionResultType]::ParameterName, 'Testing: share (0-1) of notification lists queued twice')
            [CompletionResult]::new('--fault-reorder', '--fault-reorder', [CompletionResultType]::ParameterName, 'Testing: share (0-1) of notification lists held back and sent after the next one')
            [CompletionResult]::new('--fault-seed', '--fault-seed', [CompletionResultType]::ParameterName, 'Testing: seed of the fault injector')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile from config.toml [env: CPMCTL_PROFILE]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]')
            [CompletionResult]::new('--box', '--box', [CompletionResultType]::ParameterName, 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (default: table on a terminal, plain when piped)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)')
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('--tps-limit', '--tps-limit', [CompletionResultType]::ParameterName, 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]')
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
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List a folder: its sub-folders, then its objects (newest first)')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search objects. Filters combine with AND; results stream page by page, newest first')
            [CompletionResult]::new('conversations', 'conversations', [CompletionResultType]::ParameterValue, 'List conversations: 1-1 chats and group chats by Conversation-ID, SMS/MMS by peer set')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export conversations: transcripts (HTML, text), full-fidelity records and attachments')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show objects'' metadata (attributes, flags, parts), or save their payload')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store files as message objects')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import message histories into the box')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Move objects and folders into a folder')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete objects, or folders with everything in them (`-r`)')
            [CompletionResult]::new('flag', 'flag', [CompletionResultType]::ParameterValue, 'Add or remove a flag on objects')
            [CompletionResult]::new('mkdir', 'mkdir', [CompletionResultType]::ParameterValue, 'Create a folder')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Try cpmctl on a demo message store: no setup, no network')
            [CompletionResult]::new('subscribe', 'subscribe', [CompletionResultType]::ParameterValue, 'Watch a box: print every change (new, flagged, moved, deleted objects and folders) as it happens')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Mirror a box into a local directory and bring it up to date with the store')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Compare a mirror directory with the store without changing either')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Overview of a box: objects and bytes by message context, by folder (top N) and by month, unread, oldest and newest, the largest objects')
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
        'cpmctl;help;conversations' {
            break
        }
        'cpmctl;help;export' {
            break
        }
        'cpmctl;help;get' {
            break
        }
        'cpmctl;help;put' {
            break
        }
        'cpmctl;help;import' {
            break
        }
        'cpmctl;help;mv' {
            break
        }
        'cpmctl;help;rm' {
            break
        }
        'cpmctl;help;flag' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Set FLAG on the objects')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Clear FLAG on the objects')
            break
        }
        'cpmctl;help;flag;add' {
            break
        }
        'cpmctl;help;flag;rm' {
            break
        }
        'cpmctl;help;mkdir' {
            break
        }
        'cpmctl;help;demo' {
            break
        }
        'cpmctl;help;subscribe' {
            break
        }
        'cpmctl;help;sync' {
            break
        }
        'cpmctl;help;check' {
            break
        }
        'cpmctl;help;stats' {
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
