// The shop's own script: under a strict CSP the hafrec queue line lives here, not inline.
window.hafrec = window.hafrec || [];
