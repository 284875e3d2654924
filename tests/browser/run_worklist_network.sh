#!/bin/bash
# tests/browser/run_worklist_network.sh: the care-pathway worklist and the
# network's pages in Chromium (worklist_network.mjs), as a TAP test. Makes a
# small synthetic store, a few network objects by the CLI (a node, a group
# with a member, an NHV unit, a training with participants, a funded
# activity, an event, a consultation of region 12), a coordinator and a
# registrar of region 12; worklist_network.mjs serves it (lib.mjs). Needs
# $KNOD, $SRCDIR; screenshots go to $ARTEFACTS (default: the build folder's
# browser-artefacts/).
. "$SRCDIR/tests/browser/lib.sh"
store 300 7
add_user anna.coord --role coordinator --region 12
add_user rut.registrar --role registrar --region 12
k node add --code skane --name "Kunskapsnod Skåne" --host 12 --regions 07,08,10
k group add --code nag --name "Nationella arbetsgruppen" --kind working-group \
    --professions psychiatrist,psychologist,nurse,social-worker
k group add --code ksp --name "Kommunalt nätverk" --kind network --node skane
k member add --group nag --organisation "Region Skåne" --from 2025-01-01 --to 2027-12-31 \
    --name "Anna Andersson" --role chair --healthcare-region Södra --profession psychiatrist
k unit add nhv-lund --name "NHV Lund" --region 12 --type nhv --setting outpatient \
    --ages 13-25 --catchment 12,07,08,10 --nhv-offers consultation,assessment,treatment \
    --placed-access yes --sis-access yes --as-of 2025-02-01
k training add --organiser "Kunskapsnod Skåne" --kind dbt --title "DBT grundkurs i Skåne" \
    --start 2025-09-01 --end 2025-09-05 --mode on-site --targets care
printf 'region,organisation,profession,participants\n12,Region Skåne,nurse,14\n12,Malmö stad,social-worker,9\n' > "$T/p.csv"
k training participants 1 "$T/p.csv"
k activity add --responsible Samordnare --status ongoing --title "Bemötandeutbildning i Skåne" \
    --goal "Alla BUP-enheter utbildade" --start 2025-01-01 --end 2025-12-31 --region 12 --node skane
k activity fund 1 --source national-grant --year 2025 --allocated 250000 --spent 120000
k events add --kind webinar --title "Bemötande vid självskadebeteende – grundkurs" \
    --start 2030-02-12T13:00 --end 2030-02-12T14:30 --organiser "Kunskapsnod Skåne" \
    --mode digital --url https://example.se/webinar/bemotande --theme Bemötande --capacity 100 --recording
k consultation add --text "Flicka 15 år, upprepade självskador, fråga om behandling" \
    --urgency urgent --region 12 --unit "BUP Malmö" --role "läkare" --to "NHV Lund"
run_node worklist_network.mjs
