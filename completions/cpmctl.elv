
use builtin;
use str;

set edit:completion:arg-completer[cpmctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cpmctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cpmctl'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in: check credentials against the server, then save a profile and the secret'
            cand logout 'Remove the saved secret of a profile (the active one, or --profile NAME)'
            cand ls 'List a folder: its sub-folders and objects'
            cand search 'Search objects by attributes, flags and dates'
            cand get 'Show objects (attributes, flags, parts) or download their payload'
            cand put 'Store files as message objects'
            cand mv 'Move objects and folders to another folder'
            cand rm 'Delete objects and folders'
            cand flag 'Add or remove flags on objects'
            cand mkdir 'Create a folder'
            cand demo 'Start an embedded demo server and take a short tour'
            cand serve 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)'
            cand completions 'Print a shell completion script'
            cand generate 'Regenerate completions/ and man/ (maintainers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cpmctl;login'= {
            cand --user 'User name for HTTP Basic [env: CPMCTL_USER]'
            cand --credential-store 'Where to keep the secret (default: the OS keyring; `file` is a 0600 file in the data dir)'
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand --password-stdin 'Read the password from stdin (the first line)'
            cand --token-stdin 'Read a bearer token from stdin instead of a password'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'List the profiles, where each one''s secret lives, and whether it still authenticates'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cpmctl;login;status'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand --offline 'Do not contact the servers'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;login;help'= {
            cand status 'List the profiles, where each one''s secret lives, and whether it still authenticates'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cpmctl;login;help;status'= {
        }
        &'cpmctl;login;help;help'= {
        }
        &'cpmctl;logout'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand --forget 'Also remove the profile from config.toml'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;ls'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;search'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;get'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;put'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;mv'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;rm'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;flag'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;mkdir'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;demo'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;serve'= {
            cand --listen 'Address to listen on'
            cand --data 'Directory of the SQLite database (default: the cpmctl data dir, `server/` below it)'
            cand --users 'TOML users file with salted password hashes and token hashes'
            cand --store 'Store name in the URL path (`/nms/v1/STORE/BOX`)'
            cand --max-body 'Largest accepted request body (bytes, or with a K/M/G suffix); larger ones get 413'
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand --demo 'Seed a demo user and box (idempotent) and print its URL and credentials'
            cand --hash-password 'Print a salted hash of the password read from stdin, for the users file, and exit'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;completions'= {
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;generate'= {
            cand --dir 'Repository root: files go to DIR/completions and DIR/man'
            cand --profile 'Profile from config.toml [env: CPMCTL_PROFILE]'
            cand --server 'Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX [env: CPMCTL_SERVER]'
            cand --store 'Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]'
            cand --box 'Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]'
            cand -o 'Output format (default: table on a terminal, plain when piped)'
            cand --output 'Output format (default: table on a terminal, plain when piped)'
            cand --retries 'Retries for idempotent requests on network errors, 429 and 5xx (default: 4)'
            cand --progress 'Progress display for bulk work on stderr'
            cand --color 'Colour in tables (auto: only on a terminal, off with NO_COLOR)'
            cand -v 'More diagnostics on stderr (repeat for more)'
            cand --verbose 'More diagnostics on stderr (repeat for more)'
            cand -q 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --quiet 'No status lines or summaries on stderr (errors and warnings still show)'
            cand --no-input 'Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cpmctl;help'= {
            cand login 'Log in: check credentials against the server, then save a profile and the secret'
            cand logout 'Remove the saved secret of a profile (the active one, or --profile NAME)'
            cand ls 'List a folder: its sub-folders and objects'
            cand search 'Search objects by attributes, flags and dates'
            cand get 'Show objects (attributes, flags, parts) or download their payload'
            cand put 'Store files as message objects'
            cand mv 'Move objects and folders to another folder'
            cand rm 'Delete objects and folders'
            cand flag 'Add or remove flags on objects'
            cand mkdir 'Create a folder'
            cand demo 'Start an embedded demo server and take a short tour'
            cand serve 'Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode)'
            cand completions 'Print a shell completion script'
            cand generate 'Regenerate completions/ and man/ (maintainers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cpmctl;help;login'= {
            cand status 'List the profiles, where each one''s secret lives, and whether it still authenticates'
        }
        &'cpmctl;help;login;status'= {
        }
        &'cpmctl;help;logout'= {
        }
        &'cpmctl;help;ls'= {
        }
        &'cpmctl;help;search'= {
        }
        &'cpmctl;help;get'= {
        }
        &'cpmctl;help;put'= {
        }
        &'cpmctl;help;mv'= {
        }
        &'cpmctl;help;rm'= {
        }
        &'cpmctl;help;flag'= {
        }
        &'cpmctl;help;mkdir'= {
        }
        &'cpmctl;help;demo'= {
        }
        &'cpmctl;help;serve'= {
        }
        &'cpmctl;help;completions'= {
        }
        &'cpmctl;help;generate'= {
        }
        &'cpmctl;help;help'= {
        }
    ]
    $completions[$command]
}
