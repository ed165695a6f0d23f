#!/usr/bin/env bash
# Re-fetch the vendored front-end files from the npm registry; versions as in README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent bootstrap@5.3.9 bootstrap-icons@1.13.2 htmx.org@2.0.11 chart.js@4.6.1 sortablejs@1.15.7 signature_pad@5.1.4 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
cp bootstrap-5.3.9/package/dist/css/bootstrap.min.css bootstrap-5.3.9/package/dist/js/bootstrap.bundle.min.js "$here/bootstrap/"
cp bootstrap-icons-1.13.2/package/font/bootstrap-icons.min.css "$here/bootstrap-icons/"
cp bootstrap-icons-1.13.2/package/font/fonts/bootstrap-icons.woff* "$here/bootstrap-icons/fonts/"
cp htmx.org-2.0.11/package/dist/htmx.min.js "$here/htmx/"
cp chart.js-4.6.1/package/dist/chart.umd.min.js "$here/chartjs/"
cp sortablejs-1.15.7/package/Sortable.min.js "$here/sortablejs/"
cp signature_pad-5.1.4/package/dist/signature_pad.umd.min.js "$here/signature_pad/"
# The source maps are not shipped; their comments would break collectstatic's manifest.
grep -rl sourceMappingURL "$here" | xargs -r sed -i 's#/[/*]\# sourceMappingURL=[^ ]*\( \*/\)\?##'
