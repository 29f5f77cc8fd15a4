"""Spreadsheet import: read a CSV/XLSX file, map its columns, dry-run it, import it in batches.

parsing (bytes -> rows), mapping (headers -> lead fields, one row -> lead data or a reason),
services (the job's steps, called by the pages and the task), export (rejected rows as CSV).
"""
