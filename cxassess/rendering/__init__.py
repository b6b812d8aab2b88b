"""What turns a template into a document safely: the sandboxed Jinja environment on a search
path, the brand, the check of finished HTML and the restricted URL fetcher. Shared by the
leadership report and the gap report, so it sits below both."""
