"""The conformance runner's parts: the local server and its control API (`server`),
scenario files and variables (`scenarios`), the steps that prepare a scenario
(`given`), the driver processes (`drivers`), the comparison (`match`, `verdict`) and
the matrix (`report`)."""
