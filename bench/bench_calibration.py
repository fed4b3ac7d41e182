"""Print the generator's 2016 figures against the documented ones (means over seeds)."""

from __future__ import annotations

import sys

from synthetic.calibration import MAAL_2016, mean_figures


def main(n_seeds: int = 8) -> None:
    figures = mean_figures(range(n_seeds))
    print(f"Generatorens 2016-tal, gennemsnit over {n_seeds} frø (Nordjylland, national volumen)")
    for key, target in MAAL_2016.items():
        value = figures[key]
        print(f"  {key:40s} simuleret {value:10.3f}  dokumenteret {target:10.3f}  "
              f"afvigelse {100 * (value / target - 1):+6.1f} %")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
