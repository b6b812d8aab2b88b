"""The leadership report: from results to a branded PDF or HTML file (`make_report`)."""
