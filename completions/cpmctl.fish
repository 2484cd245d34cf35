# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cpmctl_global_optspecs
    string join \n profile= server= store= box= o/output= v/verbose q/quiet retries= progress= no-input color= h/help V/version
end

function __fish_cpmctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cpmctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cpmctl_using_subcommand
    set -l cmd (__fish_cpmctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cpmctl -n "__fish_cpmctl_needs_command" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_needs_command" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_needs_command" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_needs_command" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_needs_command" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_needs_command" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_needs_command" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_needs_command" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_needs_command" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "login" -d 'Log in: check credentials against the server, then save a profile and the secret'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "logout" -d 'Remove the saved secret of a profile (the active one, or --profile NAME)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "ls" -d 'List a folder: its sub-folders and objects'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "search" -d 'Search objects by attributes, flags and dates'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "get" -d 'Show objects (attributes, flags, parts) or download their payload'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "put" -d 'Store files as message objects'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "mv" -d 'Move objects and folders to another folder'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "rm" -d 'Delete objects and folders'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "flag" -d 'Add or remove flags on objects'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "mkdir" -d 'Create a folder'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "demo" -d 'Start an embedded demo server and take a short tour'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "serve" -d 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "generate" -d 'Regenerate completions/ and man/ (maintainers)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l user -d 'User name for HTTP Basic [env: CPMCTL_USER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l credential-store -d 'Where to keep the secret (default: the OS keyring; `file` is a 0600 file in the data dir)' -r -f -a "keyring\t''
file\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l password-stdin -d 'Read the password from stdin (the first line)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l token-stdin -d 'Read a bearer token from stdin instead of a password'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -f -a "status" -d 'List the profiles, where each one\'s secret lives, and whether it still authenticates'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l offline -d 'Do not contact the servers'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from help" -f -a "status" -d 'List the profiles, where each one\'s secret lives, and whether it still authenticates'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l forget -d 'Also remove the profile from config.toml'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l listen -d 'Address to listen on' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l data -d 'Directory of the SQLite database (default: the cpmctl data dir, `server/` below it)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l users -d 'TOML users file with salted password hashes and token hashes' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l store -d 'Store name in the URL path (`/nms/v1/STORE/BOX`)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l max-body -d 'Largest accepted request body (bytes, or with a K/M/G suffix); larger ones get 413' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l demo -d 'Seed a demo user and box (idempotent) and print its URL and credentials'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l hash-password -d 'Print a salted hash of the password read from stdin, for the users file, and exit'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l dir -d 'Repository root: files go to DIR/completions and DIR/man' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "login" -d 'Log in: check credentials against the server, then save a profile and the secret'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "logout" -d 'Remove the saved secret of a profile (the active one, or --profile NAME)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "ls" -d 'List a folder: its sub-folders and objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "search" -d 'Search objects by attributes, flags and dates'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "get" -d 'Show objects (attributes, flags, parts) or download their payload'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "put" -d 'Store files as message objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "mv" -d 'Move objects and folders to another folder'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "rm" -d 'Delete objects and folders'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "flag" -d 'Add or remove flags on objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "mkdir" -d 'Create a folder'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "demo" -d 'Start an embedded demo server and take a short tour'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "serve" -d 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "completions" -d 'Print a shell completion script'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "generate" -d 'Regenerate completions/ and man/ (maintainers)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search get put mv rm flag mkdir demo serve completions generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and __fish_seen_subcommand_from login" -f -a "status" -d 'List the profiles, where each one\'s secret lives, and whether it still authenticates'
