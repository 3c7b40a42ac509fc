# Growth of latency and memory with the corpus (docs/performance.md):
#   gnuplot -e "data='docs/performance-growth.tsv'; out='docs/performance-growth.png'" bench/plot_growth.gp
# data: documents <TAB> p50 µs <TAB> p99 µs <TAB> searchd peak RSS MB (one line per corpus size)
set terminal pngcairo size 900,420 font ",10"
set output out
set multiplot layout 1,2
set logscale x
set xrange [500:2000000]
set xlabel "documents (log scale)"
set grid
set key top left
set title "query\\_bench, the peers' query mix, 1 thread"
set ylabel "latency, µs (log scale)"
set logscale y
plot data using 1:2 with linespoints title "p50", data using 1:3 with linespoints title "p99"
set title "searchd after the HTTP runs"
set ylabel "peak RSS, MB"
unset logscale y
set yrange [0:*]
plot data using 1:4 with linespoints title "VmHWM"
unset multiplot
