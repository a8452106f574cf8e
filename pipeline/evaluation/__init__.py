"""Scoring drafts against held-out real reports: metrics → judge → evaluate → report."""
