"""청렴 리스크 조기경보 (seed 000's proposal): from the incidents register, a Poisson
regression per month, stratum and field with calendar covariates (명절, 정기 인사, 채용,
선거) predicts the next month; an alert (청렴주의보) is issued where the predicted rate
exceeds the baseline by the factor in ``settings.yaml``. Pure: no Django."""
