<?php
echo "Hello from php-cgi, pid ", getmypid(), "\n";
