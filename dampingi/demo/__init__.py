"""Demo data for local trials: accounts, a synthetic Indonesian population and its case files.

Plain modules, not a Django app:

- ``accounts``: the demo accounts (one per role) and the teams they work in;
- ``names``, ``identity``: Indonesian names, NIK and No. KK numbers;
- ``texts``: the Indonesian narrative text of case files;
- ``population``: client systems and their members;
- ``casework``: case files spread over every phase of the helping process;
- ``scenarios``: the four hand-written cases of docs/scenarios, through the real services;
- ``seed``: the orchestration used by ``manage.py seed_demo`` (bulk inserts in chunks).

Every person, place and story is invented. The passwords are for local trials only.
"""
