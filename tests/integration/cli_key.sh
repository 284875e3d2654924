# tests/integration/cli_key.sh: the store's key fingerprint refuses any
# other key. The key kept apart is tested in cli_key_apart.sh, `knod key
# rotate` in cli_key_rotate.sh.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
db() { sqlite3 "$D/knod.db" "$@"; }
persons() { db "SELECT count(*) FROM person"; }

"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" init --dir "$T/other" >/dev/null 2>&1
"$KNOD" synth --persons 200 --out "$T/full" >/dev/null 2>&1
mkdir "$T/syn"; cp "$T/full/units.csv" "$T/full/persons.csv" "$T/full/contacts.csv" "$T/syn"
run "$KNOD" import --dir "$D" "$T/syn"; check_rc "the first import succeeds" 0
n0=$(persons)
[ "$n0" = 200 ] && ok "200 persons stored" || not_ok "200 persons stored" "$n0"

# The rule: a store accepts only the key its persons were pseudonymised
# with. A different valid key used to be taken silently, and a re-import
# then stored every person a second time.
[ "$(db 'SELECT recorded_by FROM key_fingerprint')" = init ] \
    && ok "init records the key's fingerprint" || not_ok "init records the key's fingerprint"
key_hex=$(head -c 64 "$D/knod.key")
if db .dump | grep -q "$key_hex"; then not_ok "the store does not hold the key"
else ok "the store does not hold the key"; fi

cp "$D/knod.key" "$T/right.key"
cp "$T/other/knod.key" "$D/knod.key"
run "$KNOD" import --dir "$D" "$T/syn"; check_rc "import with a different key is refused" 1
check_err "the refusal names the key file and the store" \
    "key file '$D/knod.key' does not match the store '$D/knod.db'"
check_err "the refusal says what to do" "key_file"
[ "$(persons)" = "$n0" ] && ok "no person was added under the wrong key" \
    || not_ok "no person was added under the wrong key" "$(persons)"
for cmd in "status" "export --kind persons --out $T/x.csv" "indicators run --id ref-a" \
           "backup $T/wrong.db" "key status"; do
    # the --dir option before any FILE argument, after the subcommand
    set -- $cmd
    case $1 in indicators|key) c1="$1 $2"; shift 2 ;; *) c1=$1; shift ;; esac
    # shellcheck disable=SC2086
    run "$KNOD" $c1 --dir "$D" "$@"
    check_rc "'$cmd' refuses a different key" 1
done
cp "$T/right.key" "$D/knod.key"; chmod 600 "$D/knod.key"
run "$KNOD" status --dir "$D"; check_rc "the right key is accepted again" 0

# A store made before fingerprints (schema 4) records it at its first open.
# It has none of the tables of the later migrations either (0007: access, 0008: events,
# 0009: consultations, 0010: network groups, 0011: units' resources, 0012: hub review,
# 0013: trainings, 0014: sessions, 0015: activities, 0016: emergency access,
# 0017: surveys, 0018: record history, 0019: references and practices, 0020: external
# pseudonyms (no tables), 0021: the snapshot's edit count and its triggers,
# 0022: the hub's owner links, 0023: uploads, 0024: the documents' indicator and step
# columns, 0025: the events' sequence and owner columns, dropped with net_event,
# 0026: the hub's step links and the documents' practices column, 0027: the hub's
# named reviewers, 0028: the surveys' maker column, dropped with net_survey,
# 0030: the units' resources with nullable yes/no columns, net_unit_resource
# copied anew, dropped with it).
cp "$D/knod.db" "$T/old.db"
sqlite3 "$T/old.db" "DROP TABLE hub_owner_user;
    DROP TABLE key_fingerprint; DROP TABLE key_rotation;
    DROP TABLE access_session; DROP TABLE access_emergency;
    DROP TABLE record_history;
    DROP TABLE access_audit; DROP TABLE access_user;
    DROP TABLE net_registration; DROP TABLE net_event; DROP TABLE net_consultation;
    DROP TABLE net_meeting; DROP TABLE net_member; DROP TABLE net_group;
    DROP TABLE net_node_region; DROP TABLE net_node; DROP TABLE net_unit_resource;
    DROP TABLE hub_comment; DROP TABLE hub_answer; DROP TABLE hub_invite; DROP TABLE hub_impact;
    DROP TABLE net_training_participants; DROP TABLE net_training;
    DROP TABLE net_activity_funding; DROP TABLE net_activity;
    DROP TABLE net_survey_token; DROP TABLE net_survey_answer; DROP TABLE net_survey_response;
    DROP TABLE net_survey_sending; DROP TABLE net_survey;
    DROP TABLE hub_practice_step; DROP TABLE hub_reference_step; DROP TABLE hub_reviewer;
    DROP TABLE hub_practice_reference; DROP TABLE hub_practice_indicator; DROP TABLE hub_version_reference;
    DROP TABLE hub_practice; DROP TABLE hub_reference_topic; DROP TABLE hub_reference;
    DROP TABLE hub_ref_search_stem; DROP TABLE hub_ref_search_tri;
    DROP TABLE snap_edit; DROP TABLE snap_person_edit;
    DROP TABLE upload_reject; DROP TABLE upload;
    DROP TRIGGER person_edit; DROP TRIGGER person_delete; DROP TRIGGER care_unit_edit;
    DROP TRIGGER care_unit_delete; DROP TRIGGER contact_edit; DROP TRIGGER contact_delete;
    DROP TRIGGER self_harm_act_edit; DROP TRIGGER self_harm_act_delete;
    DROP TRIGGER coercive_measure_edit; DROP TRIGGER coercive_measure_delete;
    DROP TRIGGER assessment_edit; DROP TRIGGER assessment_delete;
    DROP TRIGGER care_plan_edit; DROP TRIGGER care_plan_delete; DROP TRIGGER treatment_edit;
    DROP TRIGGER treatment_delete; DROP TRIGGER follow_up_edit;
    DROP TRIGGER follow_up_delete; DROP TRIGGER pathway_step_edit;
    DROP TRIGGER pathway_step_delete; DROP TRIGGER population_edit;
    DROP TRIGGER population_delete; DROP TRIGGER population_insert;
    ALTER TABLE hub_version DROP COLUMN indicators; ALTER TABLE hub_version DROP COLUMN steps;
    ALTER TABLE hub_version DROP COLUMN practices;
    DELETE FROM schema_migration WHERE version >= 5"
mkdir "$T/old" "$T/old2"; cp "$T/old.db" "$T/old2/knod.db"; cp "$D/knod.key" "$T/old2/knod.key"
mv "$T/old.db" "$T/old/knod.db"; cp "$D/knod.key" "$T/old/knod.key"
# A reading command on an old store that can be written brings it up to date first
# (it used to fail with "no such table").
latest=$(sqlite3 "$D/knod.db" 'SELECT max(version) FROM schema_migration')
for cmd in "events list" "docs list" "consultation list" "user list"; do
    run "$KNOD" $cmd --dir "$T/old2"; check_rc "'$cmd' reads an old store" 0
    case "$errout" in *"no such table"*) not_ok "'$cmd': no missing table" "$errout";;
        *) ok "'$cmd': no missing table";; esac
done
[ "$(sqlite3 "$T/old2/knod.db" 'SELECT max(version) FROM schema_migration')" = "$latest" ] \
    && ok "the old store is at the latest schema after a reading command" \
    || not_ok "the old store is at the latest schema after a reading command"
run "$KNOD" status --dir "$T/old"; check_rc "an old store opens" 0
check_err "the first open says it recorded the fingerprint" \
    "recorded the fingerprint of key file '$T/old/knod.key'"
[ "$(sqlite3 "$T/old/knod.db" 'SELECT recorded_by FROM key_fingerprint')" = first_open ] \
    && ok "the fingerprint is recorded as of the first open" \
    || not_ok "the fingerprint is recorded as of the first open"
run "$KNOD" status --dir "$T/old"; check_rc "the second open is quiet" 0
[ -z "$errout" ] && ok "no second notice" || not_ok "no second notice" "$errout"
cp "$T/other/knod.key" "$T/old/knod.key"
run "$KNOD" status --dir "$T/old"; check_rc "then another key is refused" 1

finish
