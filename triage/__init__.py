"""Triage: candidates clustered into incidents, the analysts' review queue, and exports.

- `incidents.cluster.attach(store, document_id)`: the pipeline's hook after storing candidates;
- `triage.app.create_app(store, token=...)`: the web UI (an ASGI app `marsad serve` mounts);
- `triage.exports`: CSV, JSON, GeoJSON, ACLED-shaped CSV and verification bundles;
- `triage.ingest`: articles gathered elsewhere, stored and clustered like crawled pages.
"""
