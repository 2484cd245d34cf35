# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cpmctl_global_optspecs
    string join \n profile= server= store= box= o/output= v/verbose q/quiet retries= tps-limit= progress= no-input color= h/help V/version
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
complete -c cpmctl -n "__fish_cpmctl_needs_command" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
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
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "ls" -d 'List a folder: its sub-folders, then its objects (newest first)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "search" -d 'Search objects. Filters combine with AND; results stream page by page, newest first'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "conversations" -d 'List conversations: 1-1 chats and group chats by Conversation-ID, SMS/MMS by peer set'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "export" -d 'Export conversations: transcripts (HTML, text), full-fidelity records and attachments'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "get" -d 'Show objects\' metadata (attributes, flags, parts), or save their payload'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "put" -d 'Store files as message objects'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "import" -d 'Import message histories into the box'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "mv" -d 'Move objects and folders into a folder'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "rm" -d 'Delete objects, or folders with everything in them (`-r`)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "flag" -d 'Add or remove a flag on objects'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "mkdir" -d 'Create a folder'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "demo" -d 'Try cpmctl on a demo message store: no setup, no network'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "subscribe" -d 'Watch a box: print every change (new, flagged, moved, deleted objects and folders) as it happens'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "sync" -d 'Mirror a box into a local directory and bring it up to date with the store'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "check" -d 'Compare a mirror directory with the store without changing either'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "stats" -d 'Overview of a box: objects and bytes by message context, by folder (top N) and by month, unread, oldest and newest, the largest objects'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "serve" -d 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "generate" -d 'Regenerate completions/ and man/ (maintainers)'
complete -c cpmctl -n "__fish_cpmctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l user -d 'User name for HTTP Basic [env: CPMCTL_USER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l password-command -d 'Get the password from this command\'s output each time instead of storing it (`pass show nms/demo`); run without a shell, under a timeout, output never shown' -r
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
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and not __fish_seen_subcommand_from status help" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
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
complete -c cpmctl -n "__fish_cpmctl_using_subcommand login; and __fish_seen_subcommand_from status" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
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
complete -c cpmctl -n "__fish_cpmctl_using_subcommand logout" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
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
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l limit -d 'Show at most N entries [default: 100; with -R: all]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l cursor -d 'Continue a listing from the cursor a previous run printed' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l sort -d 'Order of sub-folders: by name, or by last activity (newest conversation first). Objects always come newest first' -r -f -a "name\t''
activity\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l page-size -d 'Entries per request (the server may answer fewer)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s R -l recursive -d 'List the whole tree below the folder: one section per folder in a table, the folder\'s path as a last column in plain rows'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l all -d 'Show every entry (fetched page by page)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand ls" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l from -d 'Sender address; a number matches however it is stored (+1555…, tel:+1555…, sip:+1555…@host;user=phone)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l to -d 'Recipient address, matched like --from (not Cc/Bcc)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l participant -d 'Sender or recipient address, matched like --from' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l context -d 'Message context: sms, mms, chat, file, standalone, imdn, voice, … or a full value such as pager-message' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l conversation -d 'Conversation-ID' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l contribution -d 'Contribution-ID' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l in-reply-to -d 'InReplyTo-Contribution-ID' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l correlation-id -d 'correlationId (IMDN Message-ID of chat/FT, Message-ID of MMS)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l correlation-tag -d 'correlationTag (SMS hash)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l flag -d 'Only objects with this flag (seen, flagged, answered, deleted, draft, …); repeatable' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l no-flag -d 'Only objects without this flag; repeatable (e.g. --no-flag seen for unread)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l since -d 'Stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l until -d 'Stored before (exclusive): same forms as --since' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l text -d 'Case-insensitive substring of any text attribute (subject, text, names)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l attr -d 'Attribute NAME=VALUE (exact); repeatable' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l folder -d 'Only this folder\'s subtree (path or id)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l sort -d 'Sort: date (oldest first), -date (newest first, the default), size / -size, or NAME / -NAME for an attribute (e.g. from, subject)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l limit -d 'Show at most N results [default: 50]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l cursor -d 'Continue from the cursor a previous run printed' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l criteria -d 'Raw JSON criteria from FILE or `-` (stdin): a selectionCriteria or a searchCriteria, wrapped in its root element or bare. Filter flags are AND-ed to it' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l page-size -d 'Results per request (the server may answer fewer)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l all -d 'Show every result (fetched page by page)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand search" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l participant -d 'Only conversations this address takes part in (any spelling of a number)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l since -d 'Only objects stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l until -d 'Only objects stored before (exclusive): same forms as --since' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l folder -d 'Only this folder\'s subtree (path or id)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l mirror -d 'Read a mirror made by `cpmctl sync DIR` instead of the server (offline)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l page-size -d 'Objects per request (the server may answer fewer)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand conversations" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l conversation -d 'The conversations (IDs from `cpmctl conversations`, 6+ digit prefixes, or full keys)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l participant -d 'Every conversation this address takes part in (any spelling of a number)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l folder -d 'Everything in this folder\'s subtree (path or id), objects of no conversation included' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l since -d 'Only objects stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l until -d 'Only objects stored before (exclusive): same forms as --since' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l out -d 'The export directory (created; must be empty unless --update)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l format -d 'Formats, comma-separated: html, txt, jsonl, eml, mbox, csv, smsbr' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l tz -d 'Time zone of transcript times (IANA name such as Europe/Berlin); default: this machine\'s' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l split -d 'At most N messages per transcript page (numbered pages linked to each other)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l template -d 'A directory of templates (header.html, message.html, …) replacing the default ones' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l concurrency -d 'Payload parts downloaded at once' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l mirror -d 'Read a mirror made by `cpmctl sync DIR` instead of the server (offline)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l page-size -d 'Objects per search request' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l all -d 'Every object of the box'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l update -d 'Merge into an existing export: new messages added, changed flags updated, messages gone from the store marked deleted (never dropped); transcripts and manifest rewritten'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l zip -d 'Also write DIR.zip holding the same files'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand export" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l part -d 'Save this payload part (its id, Content-ID or 1-based number); repeatable' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l out -d 'Write to FILE, or into DIR (an existing directory, a path ending in `/`, or whenever several payloads are saved)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l concurrency -d 'Metadata reads in flight at once, 1 to 64 (records still come out in the order given)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l payload -d 'Save the whole payload'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l all-parts -d 'Save every payload part'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l force -d 'Overwrite existing files'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand get" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l folder -d 'Folder path (created when missing) or folder id to store into' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l json -d 'A full object (JSON `object`, wrapped or bare) to store; FILEs become its parts' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l context -d 'Message context: sms, mms, chat, file, standalone, … or a full Message-Context value' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l from -d 'Sender address (From)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l to -d 'Recipient address (To); repeatable' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l date -d 'Message date: RFC 3339, a day, or an age like 2h (default: now)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l direction -d 'Direction: in or out (for SMS inferred from --from/--to when omitted)' -r -f -a "in\t''
out\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l conversation -d 'Conversation-ID' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l subject -d 'Subject' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l attr -d 'Any attribute NAME=VALUE; repeatable (a repeated NAME adds values)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l flag -d 'Flags to set on the new object (seen, flagged, …); repeatable' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l correlation-id -d 'correlationId to store (IMDN Message-ID, MMS Message-ID)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l correlation-tag -d 'correlationTag to store instead of the computed SMS hash' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l content-type -d 'Content type of the payload (default: guessed from the file name)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l concurrency -d 'Parallel requests' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l batch-size -d 'Objects per bulkCreation request (at most 100)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s r -l recursive -d 'Also take files from sub-directories'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l no-bulk -d 'One POST per object instead of bulkCreation'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l raw -d 'Keep stdin exactly as read (by default one trailing newline, what `echo` adds, is dropped from text on stdin, so an SMS\'s correlationTag matches what a phone computes)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand put" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l format -d 'The input format (auto: recognised by content)' -r -f -a "auto\t'Recognised by content, file by file'
smsbr\t'SMS Backup & Restore XML'
mbox\t''
eml\t''
maildir\t''
jsonl\t'cpmctl\'s `messages.jsonl` (an export)'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l folder -d 'One folder for everything (path, created when missing, or folder id) instead of the conversation folders' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l concurrency -d 'bulkCreation requests in flight' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l rejects -d 'Where `rejects.<ext>` and `rejects.log` are written when records are rejected' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l batch-size -d 'Objects per bulkCreation request (at most 100)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l dry-run -d 'Read and map everything and print what would be created; write nothing at all (not the ledger, not the rejects)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand import" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l concurrency -d 'Parallel requests' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mv" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
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
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l concurrency -d 'Parallel requests' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s r -l recursive -d 'Also delete folders (with all they contain)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s y -l yes -d 'Do not ask for confirmation (required when not on a terminal)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s n -l dry-run -d 'Show what would be deleted; change nothing'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand rm" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -f -a "add" -d 'Set FLAG on the objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -f -a "rm" -d 'Clear FLAG on the objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and not __fish_seen_subcommand_from add rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l concurrency -d 'Parallel requests' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l keyword -d 'FLAG is a free keyword, set exactly as given (without it, a bare name that is not a CPM flag, such as `read`, is refused as a likely slip)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l concurrency -d 'Parallel requests' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l keyword -d 'FLAG is a free keyword, set exactly as given (without it, a bare name that is not a CPM flag, such as `read`, is refused as a likely slip)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "add" -d 'Set FLAG on the objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Clear FLAG on the objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand flag; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s p -l parents -d 'Create missing parent folders; an existing folder is not an error'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand mkdir" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l port -d 'Port for the demo server (default: any free port)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l save-dir -d 'Directory for the saved image (default: a new directory under the system temp dir)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l serve -d 'Keep the demo server running after the tour (until Ctrl-C)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand demo" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l filter -d 'Only report changes of objects matching this searchCriteria (JSON FILE, or `-` for stdin)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l context -d 'Only this message context: sms, mms, chat, file, … or a full value such as pager-message' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l conversation -d 'Only this Conversation-ID' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l duration -d 'Subscription duration to ask for, in seconds (renewed before it runs out)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l hold-ms -d 'How long later notifications wait for a missing one before it is fetched again (ms)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l resume -d 'Continue from the position saved by the previous run of this profile'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l keep -d 'Leave the subscription and the channel on the server when stopping (a later `--resume --keep` reuses them)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand subscribe" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l concurrency -d 'Objects downloaded at once' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l page-size -d 'Objects per search page; the index is committed after each page (pages of small objects in batches of up to 5 pages or 8 MiB of payload)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l quiet-ms -d 'How long a steady-state run waits after the last replayed change list for another (ms), when the lists do not end at the store\'s current restartToken' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l max-delete -d 'A full reconciling run deletes at most this many of the mirror\'s objects (`N`) or this share of them (`P%`); more refuse the run and delete nothing (exit 7)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l dry-run -d 'Plan and print the counts; write nothing at all (not the index, not the lock)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l resync -d 'Reconcile from a full listing as on the first run (files matching by id are kept)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l no-trash -d 'Delete files of objects gone from the store instead of moving them to `.cpmctl/trash/`'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l delete -d 'Files deleted in the mirror are deleted on the store too (without it they come back)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l pull-only -d 'Only bring the store\'s changes into the mirror; push nothing'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l push-only -d 'Only push the mirror\'s changes to the store; pull nothing'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l watch -d 'After catching up, stay on the notification channel and apply each change as it arrives; Ctrl-C finishes the change in hand, commits it and exits 130'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand sync" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l download -d 'Also fetch every payload from the store again and compare its bytes with the file\'s'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand check" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l top -d 'Folders and largest objects to list' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l box-id -d 'Survey this box (repeat for several; the profile\'s credentials must open them). (`--box` is the global single-box option, hence the other name.)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l boxes -d 'Survey the boxes listed in FILE, one id a line (`#` comments, blank lines skipped)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l concurrency -d 'Boxes surveyed at once' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l store -d 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l progress -d 'Progress display for bulk work on stderr' -r -f -a "auto\t'A bar when stderr is a terminal, nothing otherwise (the summary line is always printed)'
bar\t'Always try to draw a bar'
log\t'A plain progress line every few seconds (for logs and CI)'
none\t'Only the final summary line'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l color -d 'Colour in tables (auto: only on a terminal, off with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -s q -l quiet -d 'No status lines or summaries on stderr (errors and warnings still show)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -l no-input -d 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand stats" -s V -l version -d 'Print version'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l listen -d 'Address to listen on' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l data -d 'Directory of the SQLite database (default: the cpmctl data dir, `server/` below it)' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l users -d 'TOML users file with salted password hashes and token hashes' -r -F
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l store -d 'Store name in the URL path (`/nms/v1/STORE/BOX`)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l max-body -d 'Largest accepted request body (bytes, or with a K/M/G suffix); larger ones get 413' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l max-folder-depth -d 'Deepest folder level below the root (`/a/b` is level 2)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l max-attributes -d 'Most attribute values one object or folder may carry' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l max-attribute-size -d 'Longest attribute name or value (bytes, or with a K/M/G suffix)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l protect-folder -d 'A folder (box path, e.g. /Default) nothing may be created in or below, nor moved or copied into: 403 POL1031. Repeatable' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l fixed-folder -d 'A folder that may not be renamed: 403 POL1030 (the root never may). Repeatable' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l max-connections -d 'Open connections at most; at the cap the oldest idle connection is closed to make room' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l header-timeout -d 'Time a client has to send a request\'s headers (also the keep-alive idle timeout)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l body-timeout -d 'Longest pause allowed while a request body arrives' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l max-selection -d 'Objects one bulkUpdate / bulkDelete by selection may touch' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l synchronous -d 'Commit durability: `full` survives power loss; `normal` is faster but may lose the last acknowledged writes on power loss or an OS crash' -r -f -a "full\t''
normal\t''"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l fault-drop -d 'Testing: share (0-1) of notification lists dropped' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l fault-duplicate -d 'Testing: share (0-1) of notification lists queued twice' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l fault-reorder -d 'Testing: share (0-1) of notification lists held back and sent after the next one' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l fault-seed -d 'Testing: seed of the fault injector' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l profile -d 'Profile from config.toml [env: CPMCTL_PROFILE]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l server -d 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l box -d 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -s o -l output -d 'Output format (default: table on a terminal, plain when piped)' -r -f -a "table\t'Aligned columns for people (default on a terminal)'
plain\t'Tab-separated rows, no header (default when piped)'
json\t'One JSON document'
ndjson\t'One JSON object per line, written as results arrive'"
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l retries -d 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)' -r
complete -c cpmctl -n "__fish_cpmctl_using_subcommand serve" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
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
complete -c cpmctl -n "__fish_cpmctl_using_subcommand completions" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
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
complete -c cpmctl -n "__fish_cpmctl_using_subcommand generate" -l tps-limit -d 'At most N requests per second to the server, for every command (retries included), so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]' -r
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
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "login" -d 'Log in: check credentials against the server, then save a profile and the secret'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "logout" -d 'Remove the saved secret of a profile (the active one, or --profile NAME)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "ls" -d 'List a folder: its sub-folders, then its objects (newest first)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "search" -d 'Search objects. Filters combine with AND; results stream page by page, newest first'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "conversations" -d 'List conversations: 1-1 chats and group chats by Conversation-ID, SMS/MMS by peer set'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "export" -d 'Export conversations: transcripts (HTML, text), full-fidelity records and attachments'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "get" -d 'Show objects\' metadata (attributes, flags, parts), or save their payload'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "put" -d 'Store files as message objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "import" -d 'Import message histories into the box'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "mv" -d 'Move objects and folders into a folder'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "rm" -d 'Delete objects, or folders with everything in them (`-r`)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "flag" -d 'Add or remove a flag on objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "mkdir" -d 'Create a folder'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "demo" -d 'Try cpmctl on a demo message store: no setup, no network'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "subscribe" -d 'Watch a box: print every change (new, flagged, moved, deleted objects and folders) as it happens'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "sync" -d 'Mirror a box into a local directory and bring it up to date with the store'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "check" -d 'Compare a mirror directory with the store without changing either'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "stats" -d 'Overview of a box: objects and bytes by message context, by folder (top N) and by month, unread, oldest and newest, the largest objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "serve" -d 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "completions" -d 'Print a shell completion script'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "generate" -d 'Regenerate completions/ and man/ (maintainers)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and not __fish_seen_subcommand_from login logout ls search conversations export get put import mv rm flag mkdir demo subscribe sync check stats serve completions generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and __fish_seen_subcommand_from login" -f -a "status" -d 'List the profiles, where each one\'s secret lives, and whether it still authenticates'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "add" -d 'Set FLAG on the objects'
complete -c cpmctl -n "__fish_cpmctl_using_subcommand help; and __fish_seen_subcommand_from flag" -f -a "rm" -d 'Clear FLAG on the objects'
