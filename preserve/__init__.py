"""Evidence preservation: WARC records, screenshots and PDFs of captures, integrity checks, bundles.

Everything made here is kept like a capture (exact bytes, named by SHA-256, under
`<data>/preserved/`) and listed in the `artefacts` table beside the capture it came from; every
read or export of a capture is written to the custody log.
"""

from __future__ import annotations
