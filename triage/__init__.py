"""Triage: the analysts' screens and exports over the incident model (`incidents`).

- `triage.app.create_app(store, token=...)`: the web UI (an ASGI app `marsad serve` mounts);
- `triage.accounts`: accounts, roles, sessions and login throttling;
- `triage.exports`: CSV, JSON, GeoJSON, ACLED-shaped CSV, verification bundles, gold (`gold`);
- `triage.ingest`: articles gathered elsewhere, stored and clustered like crawled pages.
"""
