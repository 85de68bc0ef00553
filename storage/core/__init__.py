"""The database and what every part of storage stands on: engine, schema, records, checks,
who may do what (access, keys, administrators), areas, assessments and their answers."""
