package rules

// KeystrokeModule gives the external tests the 5,000-line module of the
// keystroke benchmark.
var KeystrokeModule = keystrokeModule
