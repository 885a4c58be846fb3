#!/usr/bin/env bash
# The long property run: every property test (trait Category=Property) with ALK_PROPERTY_ITERATIONS cases each (a quarter
# for the portal's form posts), then the cases generated per property and in total. See tests/README.md.
#   tests/fuzz.sh            # 6000 cases per property: about 110,000 in all
#   tests/fuzz.sh 20000      # more
set -uo pipefail
cd "$(dirname "$0")/.."

iterations="${1:-6000}"
report=$(mktemp -d)
export ALK_PROPERTY_ITERATIONS="$iterations" ALK_PROPERTY_REPORT="$report"
# The traceability tests are not run here, but the Guidelines test project looks for the article beside the clone.
export ALK_SOURCE_ARTICLE="${ALK_SOURCE_ARTICLE:-$(cd .. && pwd)/shared/seeds/000_ad8f39a52019696f.txt}"

started=$(date +%s)
nice -n 10 dotnet test --solution AlkPlatform.sln --filter-trait "Category=Property"
status=$?
elapsed=$(( $(date +%s) - started ))

echo
echo "cases per property (name, cases, seconds):"
cat "$report"/*.tsv 2>/dev/null | sort
total=$(cat "$report"/*.tsv 2>/dev/null | awk -F'\t' '{ n += $2 } END { print n + 0 }')
echo "${total} cases generated in ${elapsed} s (ALK_PROPERTY_ITERATIONS=${iterations}); dotnet test exit code ${status}"
rm -rf "$report"
exit "$status"
