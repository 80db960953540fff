"""Parameter sweeps: specs (``*.yaml`` here), designs, runners on local or Dask workers,
results streamed to Parquet and resumable, sensitivity analysis.

- :mod:`experiments.spec`: load and validate a sweep spec;
- :mod:`experiments.design`: grid, LHS, Sobol and Morris points (SALib);
- :mod:`experiments.plan`: points times replicates, each run with its seed;
- :mod:`experiments.worker`: what a worker runs (failures become records);
- :mod:`experiments.backends`: one interface; ``local`` and ``dask`` modules;
- :mod:`experiments.runner`: resume, run, stream chunks, progress;
- :mod:`experiments.store`: the sweep directory; ``load_results(dir)``;
- :mod:`experiments.sensitivity`: Sobol and Morris indices;
- :mod:`experiments.commands`: ``netmob sweep | results | sensitivity | sweep-report``.
"""
