"""The case file (一矿一档): the permanent record of every case, kept in the project's own database.

It outlives Temporal's retention. SQLite file by default, PostgreSQL by URL.
"""
