"""A WeasyPrint URL fetcher that reads only what the report is allowed to read.

WeasyPrint's default fetcher opens any protocol and follows redirects; several of its security
advisories were ways around it. This one allows `data:` URLs, files inside the template
folders (checked after resolving `..`, with symbolic links refused) and the brand's own logo
and font files. Anything else, including every network URL, stops the rendering with
`FatalURLFetchingError`, whatever a questionnaire, an answer or a template asks for.

Imports WeasyPrint: import this module only where a PDF is rendered.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

MAX_FILE_BYTES = 50 * 1024 * 1024


class RestrictedURLFetcher(URLFetcher):
    """Fetch `data:` URLs and allowed local files; refuse everything else, fatally."""

    def __init__(self, folders: Sequence[Path] = (), files: Sequence[Path] = ()) -> None:
        super().__init__(
            timeout=1,
            allowed_protocols=("data", "file"),
            allow_redirects=False,
            fail_on_errors=True,
        )
        self._folders = [(Path(os.path.abspath(f)), Path(f).resolve()) for f in folders]
        self._files = {Path(f).resolve() for f in files}
        self.refused: list[str] = []

    def _refuse(self, url: str, why: str) -> FatalURLFetchingError:
        shown = url if len(url) <= 120 else url[:117] + "..."
        self.refused.append(shown)
        return FatalURLFetchingError(f"refused to read {shown}: {why}")

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at `url` if allowed; raise `FatalURLFetchingError` otherwise."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise self._refuse(url, "reports never read from the network or other protocols")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "files on other machines are not allowed")
        path = self.allowed_path(unquote(parts.path))
        if path is None:
            raise self._refuse(
                url, "only files inside the template folders and the brand's files may be read"
            )
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise self._refuse(url, "the file is larger than 50 MB")
            body = path.read_bytes()
        except OSError as exc:
            raise self._refuse(url, exc.strerror or str(exc)) from None
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix.lower() == ".svg":
            media_type = "image/svg+xml"
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": media_type})

    def allowed_path(self, raw: str) -> Path | None:
        """The resolved file `raw` names, if it may be read: a brand file, or a regular file
        inside a template folder reached without any symbolic link. None otherwise."""
        candidate = Path(os.path.abspath(raw))
        if candidate.is_symlink():
            return None
        if candidate.resolve() in self._files and candidate.is_file():
            return candidate.resolve()
        for lexical, resolved in self._folders:
            for root in (lexical, resolved):
                if not candidate.is_relative_to(root):
                    continue
                step = root
                for part in candidate.relative_to(root).parts:
                    step = step / part
                    if step.is_symlink():
                        return None
                final = candidate.resolve()
                if final.is_relative_to(resolved) and final.is_file():
                    return final
                return None
        return None


__all__ = ["FatalURLFetchingError", "RestrictedURLFetcher"]
