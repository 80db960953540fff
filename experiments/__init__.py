"""Every kind of many-run job on one machinery: plans, backends, the resumable store.

Kinds:

- sweeps: :mod:`netmob.experiments.spec` (load and validate a spec, ``*.yaml`` here),
  :mod:`netmob.experiments.design` (grid, LHS, Sobol and Morris points with SALib),
  :mod:`netmob.experiments.plan` (points times replicates, each with its seed: the one seed
  function of every kind), :mod:`netmob.experiments.worker` (what a worker runs);
- paired comparisons: :mod:`netmob.experiments.compare` (one task per replicate, every
  scenario from its seed), with :mod:`netmob.experiments.draws` (uncertain assumptions
  drawn per replicate, ``uncertainty/*.yaml``).

Shared: :mod:`netmob.experiments.runner` (skip what is done, run the rest, stream chunks,
progress), :mod:`netmob.experiments.backends` (``local`` processes or ``dask``),
:mod:`netmob.experiments.store` (the directory, ``load_results(dir)``). Analyses of the
stored results are in :mod:`netmob.analysis`; the commands in :mod:`netmob.cli`.
"""
