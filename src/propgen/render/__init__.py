"""Renderers: the document model as DOCX, HTML and PDF."""
