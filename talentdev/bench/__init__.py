"""The benchmark the project runs on itself (`manage.py bench`): every page of every role
served by gunicorn, the HR API as a client calls it (talentdev/bench/api.py), the busiest
pages and the people list under concurrent load, the reminder scan and the sponsor rollup.
Pages are found from the URL resolver, so a new page is measured too."""
