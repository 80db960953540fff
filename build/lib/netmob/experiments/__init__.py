"""Parameter sweeps: specs (``*.yaml`` here), designs, runners on local or Dask workers,
results streamed to Parquet and resumable, sensitivity analysis.

- :mod:`netmob.experiments.spec`: load and validate a sweep spec;
- :mod:`netmob.experiments.design`: grid, LHS, Sobol and Morris points (SALib);
- :mod:`netmob.experiments.plan`: points times replicates, each run with its seed;
- :mod:`netmob.experiments.worker`: what a worker runs (failures become records);
- :mod:`netmob.experiments.backends`: one interface; ``local`` and ``dask`` modules;
- :mod:`netmob.experiments.runner`: resume, run, stream chunks, progress;
- :mod:`netmob.experiments.store`: the sweep directory; ``load_results(dir)``;
- :mod:`netmob.analysis.sensitivity`: Sobol and Morris indices;
- :mod:`netmob.cli.sweep`: ``netmob sweep | results | sensitivity | sweep-report``.
"""
