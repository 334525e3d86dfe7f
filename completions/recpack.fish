# fish completion for recpack. Installed as share/fish/vendor_completions.d/recpack.fish.
# Completes commands, options, option values, manifest names (asked of recpack itself, with
# a fixed fallback) and CATEGORY= prefixes for sources.

set -l __recpack_commands check build verify list extract manifest batch cache request

function __recpack_manifests --description 'recpack built-in manifests'
    set -l prog (commandline -opc)[1]
    set -l lines
    if string match -q -- '*/*' $prog; and test -x $prog; or command -q -- $prog
        set lines (command $prog manifest 2>/dev/null)
    end
    if test (count $lines) -eq 0
        set lines 'default	any cancer' 'breast	breast cancer' 'lymphoma	lymphoma' 'myeloma	multiple myeloma'
    end
    for l in $lines
        string replace -r '^(\S+)\s+(.*)$' '$1\t$2' -- $l
    end
end

# CATEGORY= prefixes, or the files after one.
function __recpack_sources --description 'recpack sources'
    set -l cur (commandline -ct)
    set -l cats radiology pathology operative hospital medications summary \
        receptors genomics flow-cytometry bone-marrow molecular cytogenetics protein-studies slides
    if string match -qr '^(?<cat>[a-z0-9_-]+)=(?<path>.*)$' -- $cur; and contains -- $cat $cats
        for f in (__fish_complete_path $path)
            printf '%s=%s\n' $cat $f
        end
        return
    end
    for c in $cats
        printf '%s=\tfile under %s\n' $c $c
    end
end

function __recpack_job_command
    __fish_seen_subcommand_from check build batch request
end

function __recpack_pack_command
    __fish_seen_subcommand_from build batch
end

# check, build and request: batch takes the patient, facts and sources from its roster
function __recpack_read_command
    __fish_seen_subcommand_from check build request
end

complete -c recpack -f
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -s h -l help -d 'Show help'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -s V -l version -d 'Show the version'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a check -d 'Gather, classify and check records; write nothing'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a build -d 'Check, then write the checksummed ZIP packet'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a verify -d 'Check a packet received: every file and checksum'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a list -d "List a packet's documents by category"
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a extract -d 'Unpack a packet (encrypted or not) with its real names'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a manifest -d 'List the built-in manifests, or print one'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a batch -d 'One packet per row of a roster (CSV)'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a cache -d 'Remove downloaded records kept for re-runs'
complete -c recpack -n "not __fish_seen_subcommand_from $__recpack_commands" -a request -d 'Write a letter asking for the missing records (nothing sent)'
complete -c recpack -n '__fish_seen_subcommand_from cache; and not __fish_seen_subcommand_from clear path' -a clear -d 'Remove every cached download'
complete -c recpack -n '__fish_seen_subcommand_from cache; and not __fish_seen_subcommand_from clear path' -a path -d 'Print where the cache is'

# Every command
complete -c recpack -n "__fish_seen_subcommand_from $__recpack_commands" -s h -l help -d 'Show help for this command'

# check, build, batch
complete -c recpack -n __recpack_job_command -s m -l manifest -x -a '(__recpack_manifests) (__fish_complete_suffix .ini)' -d 'Required-document list'
complete -c recpack -n __recpack_read_command -l patient -x -d "Patient's name, compared with the DICOM images"
complete -c recpack -n __recpack_read_command -l dob -x -d 'Date of birth (YYYY-MM-DD)'
complete -c recpack -n __recpack_read_command -l mrn -x -d 'Medical record number'
complete -c recpack -n __recpack_read_command -l surgery -d 'The patient had surgery: operative reports required'
complete -c recpack -n __recpack_read_command -l hospitalized -d 'The patient was in hospital: hospital records required'
complete -c recpack -n __recpack_read_command -l fact -x -a 'surgery hospitalized slides-sent' -d 'A fact a manifest refers to'
complete -c recpack -n '__fish_seen_subcommand_from build' -l questions -r -F -d "The patient's questions for the doctor"
complete -c recpack -n __recpack_read_command -l sources -r -F -d 'Read one [CATEGORY=]SOURCE per line'
complete -c recpack -n __recpack_read_command -s 0 -l null -d '--sources entries are NUL-separated'
complete -c recpack -n __recpack_pack_command -l allow-incomplete -d 'Accept missing records'
complete -c recpack -n '__fish_seen_subcommand_from check build batch' -l json -d 'Print the result as JSON'
complete -c recpack -n __recpack_job_command -s q -l quiet -d 'Print only errors'
complete -c recpack -n __recpack_job_command -s v -l verbose -d 'List every document and what was skipped'
complete -c recpack -n __recpack_read_command -l progress -x -a 'auto always never' -d 'Show progress'
complete -c recpack -n __recpack_job_command -s j -l jobs -x -d 'Worker threads'
complete -c recpack -n __recpack_job_command -l max-expand -x -d 'Most an archive may expand to'
complete -c recpack -n __recpack_job_command -l max-size -x -d 'Most one download may be'
complete -c recpack -n __recpack_job_command -l netrc -d 'Take portal logins from ~/.netrc'
complete -c recpack -n __recpack_job_command -l netrc-file -r -F -d 'Take portal logins from a file'
complete -c recpack -n __recpack_job_command -l cookies -r -F -d 'Netscape cookie file exported from the browser'
complete -c recpack -n __recpack_job_command -l bearer-file -r -F -d 'File holding an access token'
complete -c recpack -n __recpack_job_command -l header-file -r -F -d 'Extra HTTP headers, one per line'
complete -c recpack -n __recpack_job_command -l cacert -r -F -d 'Trust this certificate authority as well'
complete -c recpack -n __recpack_job_command -l retries -x -d 'Retries for a failed download'
complete -c recpack -n __recpack_job_command -l timeout -x -d 'Give up on a stalled download (seconds)'
complete -c recpack -n __recpack_job_command -l min-speed -x -d 'Slowest download allowed (bytes a second)'
complete -c recpack -n __recpack_job_command -l deadline -x -d 'Most time for one document (seconds)'
complete -c recpack -n __recpack_job_command -l parallel -x -d 'Downloads at once'
complete -c recpack -n __recpack_job_command -l no-cache -d 'Do not reuse or keep downloads in the cache'
complete -c recpack -n __recpack_job_command -l no-ocr -d 'Do not read scanned pages, photos and faxes with OCR'

# build, batch
complete -c recpack -n '__fish_seen_subcommand_from build' -l name -x -d "The packet's top-level folder name"
complete -c recpack -n __recpack_pack_command -l force -d 'Overwrite an existing packet'
complete -c recpack -n __recpack_pack_command -l level -x -a '0 1 2 3 4 5 6 7 8 9' -d 'Compression level'
complete -c recpack -n __recpack_pack_command -l encrypt -d 'Encrypt the packet with AES-256'
complete -c recpack -n __recpack_pack_command -l password-file -r -F -d 'File holding the packet password'
complete -c recpack -n '__fish_seen_subcommand_from build' -s o -l output -r -F -d 'Where to write the packet (- for standard output)'
complete -c recpack -n '__fish_seen_subcommand_from batch' -s d -l outdir -x -a '(__fish_complete_directories)' -d 'Folder for the packets and report.jsonl'
complete -c recpack -n '__fish_seen_subcommand_from batch' -l strict -d 'Build nothing when any roster row has a mistake'

# request
complete -c recpack -n '__fish_seen_subcommand_from request' -l to -x -d 'Who the letter is to'
complete -c recpack -n '__fish_seen_subcommand_from request' -l to-address -r -F -d 'The office address, one line per line'
complete -c recpack -n '__fish_seen_subcommand_from request' -l from-address -r -F -d 'Your address and telephone'
complete -c recpack -n '__fish_seen_subcommand_from request' -s o -l output -r -F -d 'Write BASE.txt and BASE.html'
complete -c recpack -n '__fish_seen_subcommand_from request' -l force -d 'Replace letters already there'

# Sources
complete -c recpack -n '__fish_seen_subcommand_from check build request' -a '(__recpack_sources)'
complete -c recpack -n '__fish_seen_subcommand_from check build batch verify list extract request' -F

# verify, list
complete -c recpack -n '__fish_seen_subcommand_from verify list' -l json -d 'Print the result as JSON'
complete -c recpack -n '__fish_seen_subcommand_from verify' -s q -l quiet -d 'Print only the failures'
complete -c recpack -n '__fish_seen_subcommand_from verify' -l profile -r -F -d 'Also check against this BagIt Profile (JSON)'
complete -c recpack -n '__fish_seen_subcommand_from list' -s v -l verbose -d 'List every DICOM image too'
complete -c recpack -n '__fish_seen_subcommand_from verify list' -l password-file -r -F -d 'File holding the packet password'

# extract
complete -c recpack -n '__fish_seen_subcommand_from extract' -s d -l dir -x -a '(__fish_complete_directories)' -d 'Folder to extract into'
complete -c recpack -n '__fish_seen_subcommand_from extract' -l password-file -r -F -d 'File holding the packet password'
complete -c recpack -n '__fish_seen_subcommand_from extract' -l json -d 'Print the result as JSON'
complete -c recpack -n '__fish_seen_subcommand_from verify extract' -l progress -x -a 'auto always never' -d 'Show progress'
complete -c recpack -n '__fish_seen_subcommand_from extract' -s q -l quiet -d 'Print only the failures'

# manifest
complete -c recpack -n '__fish_seen_subcommand_from manifest' -a '(__recpack_manifests)'
complete -c recpack -n '__fish_seen_subcommand_from manifest' -a '(__fish_complete_suffix .ini)'
