"""The interactive assessment in the terminal (`cxassess run`).

- `steps`: a questionnaire as the ordered list of questions to ask;
- `answers`: what a typed line means (answer, command or mistake);
- `session`: the state machine that records answers, independent of any terminal;
- `record`: the response record, fitted for resuming, finished with its scores;
- `autosave`: file names, atomic partial saves, reading saved runs back;
- `render`: the Rich screens; `terminal`: reading lines and showing screens;
- `assessment`: `run_assessment`, one run from start to finish.
"""
