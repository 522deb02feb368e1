#!/usr/bin/env node
// Prints the annotated sample configuration, to be redirected into a new supervisord.conf.
import { SAMPLE_CONFIG } from '../config/sample.js';

process.stdout.write(SAMPLE_CONFIG);
